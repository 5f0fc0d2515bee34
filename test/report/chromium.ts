import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

/** Debian's `chromium` (what CI installs), else CHROMIUM_PATH, else another Chromium on PATH; undefined when none. */
function findChromium(): string | undefined {
  if (process.env.CHROMIUM_PATH) {
    if (!existsSync(process.env.CHROMIUM_PATH)) throw new Error(`CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist`);
    return process.env.CHROMIUM_PATH;
  }
  for (const name of ["chromium", "chromium-browser", "google-chrome"]) {
    try {
      return execFileSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).trim();
    } catch {
      // not this one
    }
  }
  return undefined;
}

export const CHROMIUM = findChromium();
export const NO_CHROMIUM = "no Chromium: `apt-get install chromium` (CI does) or set CHROMIUM_PATH to run the browser tests of the HTML report";
if (!CHROMIUM) console.warn(`report browser tests skipped: ${NO_CHROMIUM}`);
