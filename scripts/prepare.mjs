// `prepare` runs on `npm ci` in a clone and when npm installs hew-corpus from a git URL (dev tools present
// in both). It builds dist/ when TypeScript is there; without it, an existing dist/ is kept rather than
// failing the install. `npm pack` and `npm publish` build in `prepack` instead, so they skip here.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";

if (process.env.npm_command === "pack" || process.env.npm_command === "publish") process.exit(0);
try {
  createRequire(import.meta.url).resolve("typescript/bin/tsc");
} catch {
  if (existsSync("dist/cli/main.js")) {
    console.log("hew-corpus: TypeScript is not installed; keeping the existing dist/");
    process.exit(0);
  }
  console.error("hew-corpus: cannot build dist/: TypeScript is not installed. Run `npm ci` in the clone, or install the tarball `npm pack` makes.");
  process.exit(1);
}
execFileSync(process.execPath, [process.env.npm_execpath, "run", "build"], { stdio: "inherit" });
