// Records real `hew check` verdicts of a fixture folder's programs for the stand-in:
//   HEW_BIN=/path/to/hew node test/stand-in/record-verdicts.mjs test/fixtures/<topic>
// reads <topic>/programs/*.hew and writes <topic>/verdicts.jsonl. Each program is checked as main.hew in
// a folder of its own, as hew-corpus checks a block, so the recorded diagnostics name the same file.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [folder] = process.argv.slice(2);
const hew = process.env.HEW_BIN;
if (!folder || !hew) {
  console.error("usage: HEW_BIN=/path/to/hew node record-verdicts.mjs FIXTURE_FOLDER");
  process.exit(2);
}
const compiler = spawnSync(hew, ["--version"], { encoding: "utf8" }).stdout.trim().split(" ").slice(0, 2).join(" ");
const lines = [];
for (const name of readdirSync(join(folder, "programs")).filter((n) => n.endsWith(".hew")).sort()) {
  const program = join(folder, "programs", name);
  const dir = mkdtempSync(join(tmpdir(), "hew-record-"));
  copyFileSync(program, join(dir, "main.hew"));
  const json = spawnSync(hew, ["check", "--format=json", "main.hew"], { cwd: dir, encoding: "utf8" });
  const text = spawnSync(hew, ["check", "main.hew"], { cwd: dir, encoding: "utf8" });
  rmSync(dir, { recursive: true, force: true });
  const diagnostics = json.stdout.trim() ? JSON.parse(json.stdout).map(({ code, severity, message }) => ({ code, severity, message })) : [];
  lines.push(
    JSON.stringify({
      file: `programs/${name}`,
      sha256: createHash("sha256").update(readFileSync(program)).digest("hex"),
      exitCode: json.status,
      stdout: json.stdout,
      stderr: json.stderr,
      diagnostics,
      compiler,
      textExitCode: text.status,
      textStderr: text.stderr,
    }),
  );
}
writeFileSync(join(folder, "verdicts.jsonl"), lines.join("\n") + "\n");
console.log(`recorded ${lines.length} verdicts of ${compiler} into ${join(folder, "verdicts.jsonl")}`);
