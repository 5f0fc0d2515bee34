/** The body of a response that may not be larger than `maxBytes` once decoded (gzip, br and deflate included). */
export type BoundedBody = { text: string; over: false } | { over: true; bytes: number };

/**
 * Read a response body as text, at most `maxBytes` after decompression: fetch decodes `content-encoding` as
 * it streams, so counting the decoded chunks bounds memory whatever the wire size (a gzip bomb stops here).
 */
export async function readBoundedText(res: Response, maxBytes: number): Promise<BoundedBody> {
  if (!res.body) return { text: "", over: false };
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > maxBytes) {
      await reader.cancel().catch(() => {});
      return { over: true, bytes };
    }
    chunks.push(value);
  }
  return { text: Buffer.concat(chunks).toString("utf8"), over: false };
}
