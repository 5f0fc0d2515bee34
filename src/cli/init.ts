import type { Command } from "commander";
import { existsSync } from "node:fs";
import { appendFile, readFile } from "node:fs/promises";
import { join } from "node:path";
import { stringify } from "yaml";
import { CONFIG_FILE } from "../schema/config.js";
import { formatSamplesJsonl } from "../chatml/jsonl.js";
import { loadSystemPrompts } from "../chatml/system-prompt.js";
import { writeFileAtomic } from "../util/atomic-write.js";
import { PACKAGE_ROOT } from "../util/package-root.js";
import { UserError } from "../util/errors.js";
import { runCommand } from "./run-command.js";

const CONFIG_TEXT = `# hew-corpus configuration: paths are relative to this file.
corpus:
  - corpus/samples/**/*.jsonl
systemPrompts: corpus/system-prompts
evalPrompts: corpus/eval/prompts.yaml
# The hew binary: a name on PATH or a path. HEW_BIN and --hew override it.
hew: hew
# Checks at once; leave out for the machine's available parallelism.
# concurrency: 4
cacheDir: .hew-corpus/cache
# Verdicts the corpus was validated with; \`validate --update-lock\` writes it.
lock: corpus/verdicts.lock.jsonl
timeoutMs: 30000
`;

const EXAMPLE_CODE = 'fn greet(name: string) -> string {\n    f"hello, {name}"\n}\n\nfn main() {\n    println(greet("hew"));\n}\n';

/** The files `init` writes, keyed by path relative to the target folder. */
async function starterFiles(): Promise<Map<string, string>> {
  const bundled = await loadSystemPrompts(join(PACKAGE_ROOT, "corpus", "system-prompts"));
  const { parent: _parent, ...latest } = bundled.latest;
  const prompt = { ...latest, id: "v1", description: `Starter prompt, copied from hew-corpus's ${bundled.latest.id}.`, rules: latest.rules.map((r) => ({ ...r, addedIn: "v1" })) };
  const example = formatSamplesJsonl([
    {
      id: "general-greet",
      messages: [
        { role: "user", content: "Write a Hew function that greets someone by name, and a main that uses it." },
        { role: "assistant", content: "```hew\n" + EXAMPLE_CODE + "```" },
      ],
      meta: { category: "general", source: "handwritten", tags: ["functions", "f-string"] },
    },
  ]);
  return new Map([
    [CONFIG_FILE, CONFIG_TEXT],
    ["corpus/samples/example.jsonl", example],
    ["corpus/system-prompts/v1.yaml", stringify(prompt, { lineWidth: 0 })],
  ]);
}

export function registerInit(program: Command): void {
  program
    .command("init")
    .description("write a config file and a starter corpus layout in the current folder")
    .option("--force", "overwrite existing files")
    .action((flags: { force?: boolean }) =>
      runCommand(async () => {
        const cwd = process.cwd();
        const files = await starterFiles();
        const existing = [...files.keys()].filter((f) => existsSync(join(cwd, f)));
        if (existing.length > 0 && !flags.force) throw new UserError(`not overwriting ${existing.join(", ")} (use --force)`);
        for (const [file, text] of files) await writeFileAtomic(join(cwd, file), text);
        const gitignore = join(cwd, ".gitignore");
        const ignored = existsSync(gitignore) ? await readFile(gitignore, "utf8") : "";
        if (!ignored.split("\n").includes(".hew-corpus/")) await appendFile(gitignore, `${ignored && !ignored.endsWith("\n") ? "\n" : ""}.hew-corpus/\n`);
        process.stdout.write(`wrote ${[...files.keys()].join(", ")}\nnext: hew-corpus validate\n`);
      }),
    );
}
