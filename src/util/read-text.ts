import { isUtf8 } from "node:buffer";
import { readFile } from "node:fs/promises";
import { UserError, errorMessage } from "./errors.js";
import { throwErrors } from "./json-lines.js";

// fatal: a corpus for a compiler must hold exactly the bytes the compiler saw, never U+FFFD in their place.
// A leading byte-order mark is dropped (the decoder's default): editors on Windows write one.
const decoder = new TextDecoder("utf-8", { fatal: true });

/** Decode a user's file as UTF-8; bytes that are not UTF-8 are reported as `file:line: invalid UTF-8`. */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  try {
    return decoder.decode(bytes);
  } catch {
    const errors: string[] = [];
    let start = 0;
    for (let line = 1; start <= bytes.length; line++) {
      const end = bytes.indexOf(10, start);
      const stop = end < 0 ? bytes.length : end;
      if (!isUtf8(bytes.subarray(start, stop))) errors.push(`${file}:${line}: invalid UTF-8 (save the file as UTF-8)`);
      start = stop + 1;
    }
    throwErrors(errors);
    throw new UserError(`${file}: invalid UTF-8`);
  }
}

/** Read a user's file; a missing or unreadable file is their mistake, reported with its name. */
export async function readTextFile(file: string, what = "file"): Promise<string> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new UserError(`${file}: cannot read the ${what}: ${errorMessage(err)}`);
  }
  return decodeUtf8(bytes, file);
}
