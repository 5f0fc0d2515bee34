import type { Command } from "commander";
import { InvalidArgumentError } from "commander";
import { resolve } from "node:path";
import { loadConfig } from "../config.js";
import { evaluateModel, summarizeEvalRunFile } from "../eval/evaluate.js";
import { compareEvalSummaries, comparisonWarnings, formatComparison, formatEvalSummary } from "../eval/report.js";
import { findEvalRun } from "../eval/run-file.js";
import type { EvalSummary, ModelSpecInput, SamplingInput } from "../schema/eval.js";
import { adapterRun, modelOfRun, recordEval, trainingRun } from "../train/eval-record.js";
import { openRegistry } from "../train/run-registry.js";
import { UserError } from "../util/errors.js";
import { CONFIG_OPTION, HEW_OPTION, NO_CACHE_OPTION, REGISTRY_OPTION, collect, parseNonNegativeInt, parseNumber, parsePositiveInt } from "./options.js";
import { createProgress } from "./progress.js";
import { interruptSignal, runCommand } from "./run-command.js";

interface EvalFlags {
  config?: string;
  url?: string;
  model?: string;
  loraId?: { id: number; scale: number }[];
  gguf?: string;
  lora?: { path: string; scale: number }[];
  contextSize?: number;
  threads?: number;
  answers?: number;
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  seed?: number;
  concurrency?: number;
  checks?: number;
  timeout?: number;
  retries?: number;
  systemPrompt?: string | false;
  prompts?: string;
  category?: string[];
  prompt?: string[];
  runId?: string;
  runsDir?: string;
  save: boolean;
  hew?: string;
  cache: boolean;
  json?: boolean;
  top?: number;
  run?: string;
  registry?: string;
}

/** `NAME=SCALE` or `NAME` (scale 1); the last `=` splits, so paths may hold one. */
function withScale(value: string): { name: string; scale: number } {
  const m = /^(.*)=([^=]*)$/.exec(value);
  if (!m) return { name: value, scale: 1 };
  const scale = Number(m[2]);
  if (m[2]!.trim() === "" || !Number.isFinite(scale)) throw new InvalidArgumentError(`expected NAME=SCALE with a number for SCALE, got "${value}"`);
  return { name: m[1]!, scale };
}

function parseLoraFile(value: string): { path: string; scale: number } {
  const { name, scale } = withScale(value);
  return { path: resolve(name), scale };
}

function parseLoraId(value: string): { id: number; scale: number } {
  const { name, scale } = withScale(value);
  const id = Number(name);
  if (!Number.isInteger(id) || id < 0) throw new InvalidArgumentError(`expected ID=SCALE with the adapter's index on the server, got "${value}"`);
  return { id, scale };
}

/** The model the flags name, or undefined to use the config's. */
function modelFromFlags(flags: EvalFlags): ModelSpecInput | undefined {
  if (flags.url && flags.gguf) throw new UserError("give either --url (a server) or --gguf (a local model), not both");
  if (flags.url) {
    if (!flags.model) throw new UserError("--url needs --model: the model name the server serves (it also labels the run)");
    if (flags.lora) throw new UserError("--lora loads adapter files into a local model; for a server's adapters use --lora-id");
    return { kind: "http", url: flags.url, model: flags.model, lora: flags.loraId ?? [] };
  }
  if (flags.gguf) {
    if (flags.loraId) throw new UserError("--lora-id selects a server's adapters; for a local model give adapter files with --lora");
    return {
      kind: "gguf",
      path: resolve(flags.gguf),
      lora: flags.lora ?? [],
      ...(flags.contextSize === undefined ? {} : { contextSize: flags.contextSize }),
      ...(flags.threads === undefined ? {} : { threads: flags.threads }),
    };
  }
  if (flags.model || flags.lora || flags.loraId) throw new UserError("--model, --lora and --lora-id need --url or --gguf");
  return undefined;
}

function samplingFromFlags(flags: EvalFlags): Partial<SamplingInput> {
  const picked: Partial<SamplingInput> = {
    temperature: flags.temperature,
    topP: flags.topP,
    maxTokens: flags.maxTokens,
    seed: flags.seed,
    n: flags.answers,
  };
  return Object.fromEntries(Object.entries(picked).filter(([, v]) => v !== undefined));
}

function print(summary: EvalSummary, flags: { json?: boolean; top?: number }): void {
  process.stdout.write((flags.json ? JSON.stringify(summary, null, 2) : formatEvalSummary(summary, { top: flags.top })) + "\n");
}

async function runsDirFor(configFile: string | undefined, runsDir: string | undefined): Promise<string> {
  if (runsDir) return resolve(runsDir);
  const { config, root } = await loadConfig(process.cwd(), configFile);
  return resolve(root, config.eval.runsDir);
}

export function registerEval(program: Command): void {
  const evalCommand = program
    .command("eval")
    .description("ask a model the eval prompts, check its answers with hew, and score them per category")
    .option(...CONFIG_OPTION)
    .option("--url <url>", "an OpenAI-compatible server: llama-server, vLLM, Ollama (its root or /v1)")
    .option("--model <name>", "the model name to request from the server")
    .option("--lora-id <id=scale>", "a LoRA adapter loaded in llama-server, by index (repeatable)", collect(parseLoraId))
    .option("--gguf <file>", "a local GGUF model, run in-process by node-llama-cpp")
    .option("--lora <file=scale>", "a LoRA adapter file for --gguf; scale defaults to 1 (repeatable)", collect(parseLoraFile))
    .option("--context-size <n>", "tokens of context per answer for --gguf (default 8192)", parsePositiveInt)
    .option("--threads <n>", "CPU threads for --gguf (default: the cores the load average leaves free, at least 1)", parsePositiveInt)
    .option("-n, --answers <n>", "answers per prompt; above 1 also reports pass@k", parsePositiveInt)
    .option("--temperature <t>", "sampling temperature (default 0)", parseNumber)
    .option("--top-p <p>", "nucleus sampling", parseNumber)
    .option("--max-tokens <n>", "tokens per answer (default 2048)", parsePositiveInt)
    .option("--seed <n>", "seed of the first answer; answer i uses seed + i (default 0)", parseNonNegativeInt)
    .option("-j, --concurrency <n>", "model requests at once (default: the server's slots, else 4)", parsePositiveInt)
    .option("--checks <n>", "hew processes at once (default: the config's, then available parallelism)", parsePositiveInt)
    .option("--timeout <ms>", "per model request, from when it is sent (default 300000)", parsePositiveInt)
    .option("--retries <n>", "tries again after a 429, 502, 503, 504, a timeout or a failed connection (default 3)", parseNonNegativeInt)
    .option("--system-prompt <version>", "system-prompt version to send (default: the latest)")
    .option("--no-system-prompt", "send no system message")
    .option("--prompts <file>", "prompt set (default: the config's evalPrompts)")
    .option("--category <name>", "only prompts of this category (repeatable)", collect(String))
    .option("--prompt <id>", "only this prompt (repeatable)", collect(String))
    .option("--run-id <id>", "name of the run file (default: eval-<date>-<time>)")
    .option("--runs-dir <dir>", "where run files go (default: the config's eval.runsDir, runs/eval)")
    .option("--no-save", "do not write a run file (nor a registry row)")
    .option("--run <id>", "the training run this measures (v7): its base model and adapter unless --url or --gguf says otherwise; the results are recorded against it")
    .option(...REGISTRY_OPTION)
    .option(...HEW_OPTION)
    .option(...NO_CACHE_OPTION)
    .option("--top <n>", "failure categories listed (default 5)", parsePositiveInt)
    .option("--json", "print the summary as JSON")
    .addHelpText("after", "\nThe server's API key, if it wants one, is read from HEW_CORPUS_API_KEY or OPENAI_API_KEY.")
    .enablePositionalOptions()
    .action((flags: EvalFlags) =>
      runCommand(async () => {
        const config = await loadConfig(process.cwd(), flags.config);
        const registry = openRegistry(config, flags.registry);
        // Named before the run, so a wrong id costs nothing; read now, so a broken registry does too.
        const trained = flags.run ? await trainingRun(registry, flags.run) : undefined;
        const records = await registry.list();
        const model = modelFromFlags(flags) ?? (trained ? modelOfRun(trained) : undefined);
        // Off a terminal, a line per 10 answers: a local model on a busy CPU can take many minutes.
        const progress = createProgress("eval", undefined, 10);
        try {
          const { summary, file, run } = await evaluateModel({
            config,
            model,
            sampling: samplingFromFlags(flags),
            runId: flags.runId,
            systemPrompt: flags.systemPrompt === false ? null : flags.systemPrompt,
            promptsFile: flags.prompts && resolve(flags.prompts),
            prompts: { categories: flags.category, ids: flags.prompt },
            concurrency: flags.concurrency,
            timeoutMs: flags.timeout,
            retries: flags.retries,
            apiKey: process.env.HEW_CORPUS_API_KEY || process.env.OPENAI_API_KEY || undefined,
            hew: flags.hew,
            cache: flags.cache,
            checkConcurrency: flags.checks,
            runsDir: flags.runsDir && resolve(flags.runsDir),
            save: flags.save,
            signal: interruptSignal(),
            onProgress: ({ done, total }) => progress.update(done, total),
          });
          progress.stop();
          print(summary, flags);
          if (file) {
            process.stderr.write(`hew-corpus: saved ${file}\n`);
            const parent = trained?.id ?? adapterRun(records, run.header.model)?.id;
            const row = await recordEval(registry, run, summary, parent);
            process.stderr.write(`hew-corpus: recorded as ${row.id}${parent ? ` (eval of ${parent})` : ""} in ${registry.file}\n`);
          }
          const missing = summary.outcomes["checker-error"] + summary.outcomes.unchecked + summary.outcomes["model-error"];
          return missing > 0 ? 1 : 0;
        } finally {
          progress.stop();
        }
      }),
    );

  evalCommand
    .command("show")
    .description("print the table of a saved eval run")
    .argument("<run>", "a run file, or a run id in the runs folder")
    .option("--runs-dir <dir>", "where run files are (default: the config's eval.runsDir)")
    .option("--top <n>", "failure categories listed (default 5)", parsePositiveInt)
    .option("--json", "print the summary as JSON")
    .action((run: string, flags: { runsDir?: string; top?: number; json?: boolean }) =>
      runCommand(async () => {
        const dir = await runsDirFor(evalCommand.opts<EvalFlags>().config, flags.runsDir);
        print(await summarizeEvalRunFile(await findEvalRun(run, dir)), flags);
      }),
    );

  evalCommand
    .command("compare")
    .description("what changed from run A to run B, per category, with 95% intervals")
    .argument("<a>", "the earlier run: a file, or a run id in the runs folder")
    .argument("<b>", "the later run")
    .option("--runs-dir <dir>", "where run files are (default: the config's eval.runsDir)")
    .option("--json", "print the comparison as JSON")
    .action((a: string, b: string, flags: { runsDir?: string; json?: boolean }) =>
      runCommand(async () => {
        const dir = await runsDirFor(evalCommand.opts<EvalFlags>().config, flags.runsDir);
        const [before, after] = await Promise.all([a, b].map(async (ref) => summarizeEvalRunFile(await findEvalRun(ref, dir))));
        const comparison = compareEvalSummaries(before!, after!);
        for (const warning of comparisonWarnings(before!, after!)) process.stderr.write(`hew-corpus: warning: ${warning}\n`);
        process.stdout.write((flags.json ? JSON.stringify(comparison, null, 2) : formatComparison(comparison)) + "\n");
      }),
    );
}
