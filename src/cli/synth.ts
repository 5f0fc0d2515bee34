import { InvalidArgumentError, Option, type Command } from "commander";
import { relative, resolve } from "node:path";
import { loadConfig } from "../config.js";
import { SampleCategorySchema, type SampleCategory } from "../schema/sample.js";
import type { TeacherSpecInput } from "../schema/synth.js";
import { formatSynthResult } from "../synth/report.js";
import { synthesizeCorpus } from "../synth/synthesize.js";
import { collect, parseNonNegativeInt, parseNumber, parsePositiveInt } from "./options.js";
import { createProgress } from "./progress.js";
import { interruptSignal, runCommand } from "./run-command.js";

interface SynthFlags {
  config?: string;
  api?: "openai" | "anthropic";
  url?: string;
  model?: string;
  apiKeyEnv?: string;
  temperature?: number;
  maxTokens?: number;
  generate?: number;
  category?: SampleCategory[];
  fromRun?: string;
  seed?: number;
  repairRounds?: number;
  concurrency?: number;
  checks?: number;
  hew?: string;
  cache: boolean;
  out?: string;
  corrections?: string;
  state?: string;
  systemPrompt?: string | false;
  timeout?: number;
  retries?: number;
  dryRun?: boolean;
  json?: boolean;
}

function parseCategory(value: string): SampleCategory {
  const result = SampleCategorySchema.safeParse(value);
  if (!result.success) throw new InvalidArgumentError(`unknown category "${value}"; expected one of ${SampleCategorySchema.options.join(", ")}`);
  return result.data;
}

/** The config's teacher with the flags laid over it, or undefined to use the config's as it is. */
function teacherFromFlags(flags: SynthFlags, configured: TeacherSpecInput | undefined): TeacherSpecInput | undefined {
  const given = { api: flags.api, url: flags.url, model: flags.model, apiKeyEnv: flags.apiKeyEnv, temperature: flags.temperature, maxTokens: flags.maxTokens };
  const set = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
  if (Object.keys(set).length === 0) return undefined;
  return { ...configured, ...set } as TeacherSpecInput;
}

export function registerSynth(program: Command): void {
  program
    .command("synth")
    .description("grow the corpus with a teacher model: answer tasks, check with hew, repair with the diagnostics, admit what passes")
    .argument("[tasks]", "a task file: YAML (tasks: [...]) or JSONL, each {category, request, tags?}")
    .option("-c, --config <file>", "config file (default: nearest hew-corpus.config.yaml)")
    .addOption(new Option("--api <api>", "the teacher's API (default: the config's, else openai)").choices(["openai", "anthropic"]))
    .option("--url <url>", "the teacher's API root: https://api.openai.com, https://api.anthropic.com, a llama-server or vLLM")
    .option("--model <name>", "the teacher model")
    .option("--api-key-env <name>", "environment variable holding the key (default: OPENAI_API_KEY or ANTHROPIC_API_KEY)")
    .option("--temperature <t>", "teacher sampling temperature (default 0.7)", parseNumber)
    .option("--max-tokens <n>", "tokens per teacher answer (default 4096)", parsePositiveInt)
    .option("--generate <n>", "let the teacher write N distinct requests per category instead of reading a task file", parsePositiveInt)
    .option("--category <name>", "a category to generate requests for (repeatable)", collect(parseCategory))
    .option("--from-run <run>", "generate requests for the categories an eval run failed in (with --generate)")
    .option("--seed <n>", "seed of the teacher's sampling and of generated requests (default 0)", parseNonNegativeInt)
    .option("--repair-rounds <n>", "follow-up turns with hew's diagnostics before a task fails (default 2)", parseNonNegativeInt)
    .option("-j, --concurrency <n>", "teacher requests at once (default: the config's synth.concurrency, 4)", parsePositiveInt)
    .option("--checks <n>", "hew processes at once (default: the config's, then available parallelism)", parsePositiveInt)
    .option("--hew <path>", "hew binary (default: HEW_BIN, the config, then `hew` on PATH)")
    .option("--no-cache", "do not read or write the verdict cache")
    .option("-o, --out <file>", "corpus file to append admitted samples to (default: the config's synth.out)")
    .option("--corrections <file>", "also append contrastive correction samples from repaired tasks to this file")
    .option("--state <file>", "the run's state file (default: <synth.stateDir>/<run name>.jsonl)")
    .option("--system-prompt <version>", "system-prompt version the teacher answers under (default: the latest)")
    .option("--no-system-prompt", "send the teacher no system message")
    .option("--timeout <ms>", "per teacher request (default 300000)", parsePositiveInt)
    .option("--retries <n>", "tries again after a 5xx, 429, timeout or failed connection (default 4)", parseNonNegativeInt)
    .option("--dry-run", "ask, check and count, but append nothing to the corpus")
    .option("--json", "print the funnel and usage as JSON")
    .addHelpText("after", "\nAn interrupted run (Ctrl-C) keeps its state; run the same command again to continue without asking the teacher again for finished tasks.")
    .action((tasks: string | undefined, flags: SynthFlags) =>
      runCommand(async () => {
        const config = await loadConfig(process.cwd(), flags.config);
        const progress = createProgress("synth");
        try {
          const result = await synthesizeCorpus({
            config,
            teacher: teacherFromFlags(flags, config.config.synth.teacher),
            tasksFile: tasks && resolve(tasks),
            ...(flags.generate === undefined ? {} : { generate: { perCategory: flags.generate, categories: flags.category } }),
            fromRun: flags.fromRun && resolve(flags.fromRun),
            seed: flags.seed,
            repairRounds: flags.repairRounds,
            concurrency: flags.concurrency,
            checkConcurrency: flags.checks,
            hew: flags.hew,
            cache: flags.cache,
            out: flags.out && resolve(flags.out),
            corrections: flags.corrections && resolve(flags.corrections),
            stateFile: flags.state && resolve(flags.state),
            systemPrompt: flags.systemPrompt === false ? null : flags.systemPrompt,
            timeoutMs: flags.timeout,
            retries: flags.retries,
            dryRun: flags.dryRun,
            signal: interruptSignal(),
            onProgress: (done, total) => progress.update(done, total),
          });
          progress.stop();
          if (flags.json) {
            const { funnel, byCategory, usage, cost, teacher, resumed, rejections, stateFile, written } = result;
            process.stdout.write(JSON.stringify({ funnel, byCategory, usage, cost, teacher, resumed, rejections, stateFile, written }, null, 2) + "\n");
          } else process.stdout.write(formatSynthResult(result) + "\n");
          for (const w of result.written) process.stderr.write(`hew-corpus: wrote ${w.added} new samples to ${relative(process.cwd(), w.file) || w.file} (${w.total} in the file)\n`);
          if (flags.dryRun) process.stderr.write(`hew-corpus: dry run: ${result.admitted.length} samples would be admitted, nothing written\n`);
          const f = result.funnel;
          return f.unchecked + f.checkerError + f.teacherError > 0 ? 1 : 0;
        } finally {
          progress.stop();
        }
      }),
    );
}
