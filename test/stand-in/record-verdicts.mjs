// Records real `hew check` verdicts of a fixture folder's programs for the stand-in:
//   HEW_BIN=/path/to/hew node test/stand-in/record-verdicts.mjs test/fixtures/<topic>
// reads <topic>/programs/*.hew, and when there is a <topic>/repo, every .hew file and ```hew block of a
// Markdown file in it, and writes <topic>/verdicts.jsonl. Each program is checked as main.hew in a folder
// of its own, as hew-corpus checks a block, so the recorded diagnostics name the same file. Where hew's
// messages name its own install folder (a module search path), that folder is recorded as $HEW_HOME, and the
// temp folder of the check as $CHECK_DIR: a fixture must not depend on where anything happened to be.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";

const [folder] = process.argv.slice(2);
const hew = process.env.HEW_BIN;
if (!folder || !hew) {
  console.error("usage: HEW_BIN=/path/to/hew node record-verdicts.mjs FIXTURE_FOLDER");
  process.exit(2);
}
const hewHome = dirname(dirname(resolve(hew)));
const scrubHome = (text) => text.replaceAll(hewHome, "$HEW_HOME");
const compiler = spawnSync(hew, ["--version"], { encoding: "utf8" }).stdout.trim().split(" ").slice(0, 2).join(" ");
/** [name, code]: the programs to record, named by their path in the folder (and line, for a block). */
function programs() {
  const found = [];
  const walk = (rel) => {
    for (const entry of readdirSync(join(folder, rel), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path);
      else if (path.endsWith(".hew")) found.push([path, readFileSync(join(folder, path), "utf8")]);
      else if (path.endsWith(".md") && rel.startsWith("repo")) {
        const lines = readFileSync(join(folder, path), "utf8").split("\n");
        for (let i = 0; i < lines.length; i++) {
          if (lines[i] !== "```hew") continue;
          const end = lines.indexOf("```", i + 1);
          found.push([`${path}:${i + 2}`, lines.slice(i + 1, end).join("\n") + "\n"]);
          i = end;
        }
      }
    }
  };
  for (const top of ["programs", "repo"]) if (existsSync(join(folder, top))) walk(top);
  return found;
}

const lines = [];
for (const [name, code] of programs()) {
  const dir = mkdtempSync(join(tmpdir(), "hew-record-"));
  writeFileSync(join(dir, "main.hew"), code);
  const json = spawnSync(hew, ["check", "--format=json", "main.hew"], { cwd: dir, encoding: "utf8" });
  const text = spawnSync(hew, ["check", "main.hew"], { cwd: dir, encoding: "utf8" });
  rmSync(dir, { recursive: true, force: true });
  const scrub = (text) => scrubHome(text).replaceAll(dir, "$CHECK_DIR");
  const diagnostics = json.stdout.trim() ? JSON.parse(json.stdout).map(({ code, severity, message }) => ({ code, severity, message })) : [];
  lines.push(
    JSON.stringify({
      file: name,
      sha256: createHash("sha256").update(code).digest("hex"),
      exitCode: json.status,
      stdout: scrub(json.stdout),
      stderr: scrub(json.stderr),
      diagnostics,
      compiler,
      textExitCode: text.status,
      textStderr: scrub(text.stderr),
    }),
  );
}
writeFileSync(join(folder, "verdicts.jsonl"), lines.join("\n") + "\n");
console.log(`recorded ${lines.length} verdicts of ${compiler} into ${join(folder, "verdicts.jsonl")}`);
