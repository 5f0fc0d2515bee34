// Turns the recorded verdicts into one small file per answer, so the stand-in (a bash script) can reply
// with a hash lookup instead of parsing JSON on every call. Records whose program is present must match
// its sha256, as the verdicts README asks.
import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

const [verdictsFile, indexDir] = process.argv.slice(2);
if (!verdictsFile || !indexDir) {
  console.error("usage: build-index.mjs VERDICTS_JSONL INDEX_DIR");
  process.exit(2);
}
const tmp = `${indexDir}.${process.pid}.${randomBytes(4).toString("hex")}`;
mkdirSync(tmp, { recursive: true });
let count = 0;
for (const line of readFileSync(verdictsFile, "utf8").split("\n")) {
  if (!line.trim()) continue;
  const v = JSON.parse(line);
  const program = join(dirname(verdictsFile), v.file);
  if (existsSync(program)) {
    const actual = createHash("sha256").update(readFileSync(program)).digest("hex");
    if (actual !== v.sha256) throw new Error(`${v.file}: sha256 ${actual} does not match the record ${v.sha256}`);
  }
  writeFileSync(join(tmp, `${v.sha256}.stdout`), v.stdout);
  writeFileSync(join(tmp, `${v.sha256}.stderr`), v.stderr);
  writeFileSync(join(tmp, `${v.sha256}.exit`), String(v.exitCode));
  writeFileSync(join(tmp, `${v.sha256}.text-stderr`), v.textStderr);
  writeFileSync(join(tmp, `${v.sha256}.text-exit`), String(v.textExitCode));
  count++;
}
execFileSync("mkfifo", [join(tmp, "idle.fifo")]);
writeFileSync(join(tmp, "complete"), `${count}\n`);
// Several stand-ins may build at once: the first rename wins and the others discard their copy.
try {
  renameSync(tmp, indexDir);
} catch {
  rmSync(tmp, { recursive: true, force: true });
}
