/**
 * Cut a secret out of text a server sent back, in the spellings an echo uses: as is, any case, base64 and
 * base64url (of the secret, and of an `Authorization: Bearer` value), URL-encoded and hex.
 */
export function redactSecret(text: string, secret: string | undefined, placeholder = "***"): string {
  if (!secret) return text;
  const forms = new Set<string>();
  forms.add(secret);
  forms.add(encodeURIComponent(secret));
  forms.add(Buffer.from(secret, "utf8").toString("hex"));
  // A header echoed base64-encoded is `Bearer KEY` encoded whole; the plain `Bearer ` stays readable.
  for (const value of [secret, `Bearer ${secret}`]) {
    const bytes = Buffer.from(value, "utf8");
    // padding and the last characters depend on what follows; the stable prefix is what gives the secret away
    for (const b64 of [bytes.toString("base64"), bytes.toString("base64url")]) forms.add(b64.replace(/=+$/, "").slice(0, Math.max(4, b64.length - 4)));
  }
  let out = text;
  // longest first, so a shorter form never leaves the tail of a longer one behind
  for (const form of [...forms].sort((a, b) => b.length - a.length)) {
    if (form.length < 4) continue;
    out = out.replace(new RegExp(form.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "gi"), placeholder);
  }
  return out;
}
