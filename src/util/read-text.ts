import { readFile } from "node:fs/promises";
import { UserError, errorMessage } from "./errors.js";

/** Read a user's file; a missing or unreadable file is their mistake, reported with its name. */
export async function readTextFile(file: string, what = "file"): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (err) {
    throw new UserError(`${file}: cannot read the ${what}: ${errorMessage(err)}`);
  }
}
