/**
 * The spellings in which a server may echo a secret: as is, URL-encoded, hex, and inside base64 or base64url
 * text at each of the three byte alignments, so that an echoed header (`Authorization: Bearer KEY` encoded
 * whole) gives nothing away either. Of a base64 text only the characters that depend on the secret alone are
 * kept; those touched by the bytes before or after it vary with the context.
 */
function secretForms(secret: string): string[] {
  const forms = new Set([secret, encodeURIComponent(secret), Buffer.from(secret, "utf8").toString("hex")]);
  for (let offset = 0; offset < 3; offset++) {
    const bytes = Buffer.concat([Buffer.alloc(offset), Buffer.from(secret, "utf8")]);
    for (const encoding of ["base64", "base64url"] as const) {
      const text = bytes.toString(encoding).replace(/=+$/, "");
      forms.add(text.slice(Math.ceil((offset * 4) / 3), text.length - 3));
    }
  }
  // longest first, so a shorter form never leaves the tail of a longer one behind
  return [...forms].filter((f) => f.length >= 4).sort((a, b) => b.length - a.length);
}

/** Cut a secret out of text a server sent back, in every spelling `secretForms` knows, in any case. */
export function redactSecret(text: string, secret: string | undefined, placeholder = "***"): string {
  if (!secret) return text;
  const pattern = new RegExp(secretForms(secret).map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "gi");
  return text.replace(pattern, placeholder);
}
