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

/** Where the corpus comes from and how its blocks are judged: the flags of validate and of what builds on it. */
export interface CorpusCheckFlags {
  config?: string;
  hew?: string;
  concurrency?: number;
  cache: boolean;
  lock?: string | false;
}

export function addCorpusCheckOptions(command: Command): Command {
  return command
    .argument("[paths...]", "sample files, folders or globs (default: the config's corpus)")
    .option("-c, --config <file>", "config file (default: nearest hew-corpus.config.yaml)")
    .option("--hew <path>", "hew binary (default: HEW_BIN, the config, then `hew` on PATH)")
    .option("-j, --concurrency <n>", "checks at once (default: available parallelism)", parsePositiveInt)
    .option("--no-cache", "do not read or write the caches (verdicts, token counts)")
    .option("--lock <file>", "answer from this verdict lock (default: the config's lock, when it exists)")
    .option("--no-lock", "ignore the verdict lock");
}

/** Flags shared by dedup, stats, export and report: where the corpus and its verdicts come from. */
export interface PipelineFlags extends CorpusCheckFlags {
  systemPrompt?: string;
  maxSeqLen?: number;
  json?: boolean;
}

export function addPipelineOptions(command: Command): Command {
  return addCorpusCheckOptions(command)
    .option("--system-prompt <id>", "system-prompt version to render (default: the config's, else the latest)")
    .option("--max-seq-len <n>", "token budget per rendered sample (default: the config's)", parsePositiveInt)
    .option("--json", "print a machine-readable report on stdout");
}

/** What the pipeline flags ask of `prepareCorpus`, the config loaded from where the user stands; Ctrl-C cancels. */
export async function pipelineChoices(paths: string[], flags: PipelineFlags): Promise<PrepareCorpusOptions> {
  return {
    config: await loadConfig(process.cwd(), flags.config),
    paths,
    systemPrompt: flags.systemPrompt,
    maxSeqLen: flags.maxSeqLen,
    hew: flags.hew,
    cache: flags.cache,
    lock: flags.lock,
    concurrency: flags.concurrency,
    signal: interruptSignal(),
  };
}
