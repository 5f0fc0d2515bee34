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
# Samples: one JSONL file per category is the usual layout (corpus/samples/actors.jsonl, ...).
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

// Every key of run.yaml with its default, so a first run needs only a base model and an export.
const RUN_TEXT = `# One LoRA training run: hew-corpus train --config run.yaml [--eval]. Paths are relative to this file.
# The base model: a llama, qwen3 or qwen35 GGUF (F32, F16, BF16, Q8_0 or K-quant weights); the training guide
# says how to convert a Hugging Face checkpoint.
baseModel: models/base.gguf
# The export's messages JSONL (hew-corpus export writes it).
dataset: training-set/train.jsonl
# The adapter, checkpoints and logs: by default a new folder per run, runs/run/<start time>/ beside this file.
# outputDir: runs/qwen3-v12
lora:
  rank: 16
  alpha: 32                # the adapter's scale is alpha / rank
  dropout: 0.05            # recorded in the run; not applied by the llama.cpp backend
  # every attention and MLP projection, and Qwen3.5's linear-attention ones; a model adapts those it has
  targetModules: [q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj, in_proj_qkv, in_proj_z, in_proj_a, in_proj_b, out_proj]
epochs: 2                  # 1 or 2
learningRate: 2.0e-4       # the peak rate
schedule: cosine           # constant, linear or cosine decay after warmup
warmupSteps: 0             # optimizer steps of linear warmup
weightDecay: 0             # AdamW decoupled weight decay
optimizer: adamw           # or sgd
contextLength: 4096        # tokens per context; a longer sample is reported and skipped
batch: 1                   # samples whose gradients are summed per optimizer step
seed: 42                   # adapter init, validation split and shuffling
validationSplit: 0.1       # share held out to measure validation loss after each epoch
assistantOnlyLoss: true    # false trains on every token of the conversation
backend: cpu               # cpu, cuda, vulkan or hip
# gpuLayers: 99            # layers offloaded on a GPU backend; all of them by default
# amdgpuTargets: gfx1100   # hip only: the GPU architectures to compile for (a Radeon 780M runs gfx1100 kernels)
# cudaArchitectures: "89"  # cuda only: compute capabilities to compile for; by default the GPU the build finds
# threads: 8               # CPU threads; the machine's available parallelism by default
# registry: runs/registry.jsonl   # the run registry; this is the default
`;

/** What `init` adds to .gitignore: what commands write and a user does not commit. */
const IGNORED = [".hew-corpus/", "training-set/", "deduplicated/", "runs/"];

/**
 * The starter prompt holds the bundled prompt's rules for these categories only, so that
 * `prompt new --from v1` has the registry's other rules to add.
 */
const STARTER_RULE_CATEGORIES = new Set(["rust-syntax", "legacy-path", "integer-type"]);

const EXAMPLE_CODE = 'fn greet(name: string) -> string {\n    f"hello, {name}"\n}\n\nfn main() {\n    println(greet("hew"));\n}\n';

/** The files `init` writes, keyed by path relative to the target folder. */
async function starterFiles(): Promise<Map<string, string>> {
  const bundled = await loadSystemPrompts(join(PACKAGE_ROOT, "corpus", "system-prompts"));
  const { parent: _parent, ...latest } = bundled.latest;
  const rules = latest.rules.filter((r) => r.category !== undefined && STARTER_RULE_CATEGORIES.has(r.category)).map((r) => ({ ...r, addedIn: "v1" }));
  const description = `Starter prompt: hew-corpus's ${bundled.latest.id} rules for ${[...STARTER_RULE_CATEGORIES].join(", ")}; \`hew-corpus prompt new --from v1\` adds the rest.`;
  const prompt = { ...latest, id: "v1", description, rules };
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
    ["corpus/eval/prompts.yaml", await readFile(join(PACKAGE_ROOT, "corpus", "eval", "prompts.yaml"), "utf8")],
    ["run.yaml", RUN_TEXT],
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
        const missing = IGNORED.filter((entry) => !ignored.split("\n").includes(entry));
        if (missing.length > 0) await appendFile(gitignore, `${ignored && !ignored.endsWith("\n") ? "\n" : ""}${missing.join("\n")}\n`);
        process.stdout.write(
          [
            `wrote ${[...files.keys()].join(", ")}`,
            "next:",
            "  hew-corpus validate          check every Hew block with hew check",
            "  hew-corpus stats             counts, token lengths, the export funnel",
            "  hew-corpus export            the training set in training-set/",
            "  hew-corpus prompt new --from v1   the next system prompt, with the failure registry's other rules",
            "add samples as JSONL lines in corpus/samples/<category>.jsonl (the format: corpus/samples/example.jsonl)",
          ].join("\n") + "\n",
        );
      }),
    );
}
