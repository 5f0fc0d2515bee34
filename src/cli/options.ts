import { InvalidArgumentError, type Command } from "commander";
import { loadConfig } from "../config.js";
import type { PrepareCorpusOptions } from "../export/export-corpus.js";
import { interruptSignal } from "./run-command.js";

export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("expected a positive integer");
  return n;
}

export function parseNonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError("expected a whole number, 0 or more");
  return n;
}

export function parseNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n)) throw new InvalidArgumentError("expected a number");
  return n;
}

/** For options that may be given more than once. */
export function collect<T>(parse: (value: string) => T): (value: string, previous: T[] | undefined) => T[] {
  return (value, previous) => [...(previous ?? []), parse(value)];
}

// Flags several commands share, spelled once: `.option(...CONFIG_OPTION)`.
export const CONFIG_OPTION = ["-c, --config <file>", "config file (default: nearest hew-corpus.config.yaml)"] as const;
export const HEW_OPTION = ["--hew <path>", "hew binary (default: HEW_BIN, the config, then `hew` on PATH)"] as const;
export const NO_CACHE_OPTION = ["--no-cache", "do not read or write the caches (verdicts, token counts)"] as const;
export const REGISTRY_OPTION = ["--registry <file>", "run registry (default: runs/registry.jsonl beside hew-corpus.config.yaml)"] as const;
export const HUB_URL_OPTION = ["--hub-url <url>", "the Hub to talk to (default: HF_ENDPOINT, else https://huggingface.co)"] as const;

/** How Hew is judged: the config, the compiler and the verdict cache (every command that runs hew). */
export interface CheckerFlags {
  config?: string;
  hew?: string;
  concurrency?: number;
  cache: boolean;
}

export function addCheckerOptions(command: Command): Command {
  return command
    .option(...CONFIG_OPTION)
    .option(...HEW_OPTION)
    .option("-j, --concurrency <n>", "checks at once (default: available parallelism)", parsePositiveInt)
    .option(...NO_CACHE_OPTION);
}

/** Where the corpus comes from and how its blocks are judged: the flags of validate and of what builds on it. */
export interface CorpusCheckFlags extends CheckerFlags {
  lock?: string | false;
}

export function addCorpusCheckOptions(command: Command): Command {
  return addCheckerOptions(command.argument("[paths...]", "sample files, folders or globs (default: the config's corpus)"))
    .option("--lock <file>", "answer from this verdict lock (default: the config's lock, when it exists)")
    .option("--no-lock", "ignore the verdict lock");
}

/** Flags shared by dedup, stats, export and report: where the corpus and its verdicts come from. */
export interface PipelineFlags extends CorpusCheckFlags {
  systemPrompt?: string;
  systemPromptBudget?: number;
  maxSeqLen?: number;
  json?: boolean;
}

export function addPipelineOptions(command: Command): Command {
  return addCorpusCheckOptions(command)
    .option("--system-prompt <id>", "system-prompt version to render (default: the config's, else the latest)")
    .option("--system-prompt-budget <n>", "keep the system prompt under n tokens: its most needed rules that fit (default: the config's, else every rule)", parsePositiveInt)
    .option("--max-seq-len <n>", "token budget per rendered sample (default: the config's)", parsePositiveInt)
    .option("--json", "print a machine-readable report on stdout");
}

/** What the pipeline flags ask of `prepareCorpus`, the config loaded from where the user stands; Ctrl-C cancels. */
export async function pipelineChoices(paths: string[], flags: PipelineFlags): Promise<PrepareCorpusOptions> {
  return {
    config: await loadConfig(process.cwd(), flags.config),
    paths,
    systemPrompt: flags.systemPrompt,
    systemPromptBudget: flags.systemPromptBudget,
    maxSeqLen: flags.maxSeqLen,
    hew: flags.hew,
    cache: flags.cache,
    lock: flags.lock,
    concurrency: flags.concurrency,
    signal: interruptSignal(),
  };
}
