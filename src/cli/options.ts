import { InvalidArgumentError, type Command } from "commander";

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
export const NO_CACHE_OPTION = ["--no-cache", "do not read or write the verdict cache"] as const;
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
