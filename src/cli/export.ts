import { InvalidArgumentError, type Command } from "commander";
import { resolve } from "node:path";
import { loadConfig, noConfigNote, type LoadedConfig } from "../config.js";
import { loadCorpus } from "../chatml/load-corpus.js";
import { getSystemPrompt, loadSystemPrompts } from "../chatml/system-prompt.js";
import { fitSystemPrompt, type FittedSystemPrompt } from "../chatml/prompt-budget.js";
import { loadQwen3Tokenizer } from "../chatml/tokens.js";
import { latestEvalSummary } from "../eval/latest-run.js";
import { loadPromptSet } from "../eval/prompt-set.js";
import { prepareTrainingSet, type PipelineStage, type PreparedTrainingSet } from "../export/pipeline.js";
import { formatDropped, formatFunnel } from "../export/report.js";
import { writeTrainingSet } from "../export/write.js";
import { EXPORT_FORMATS, ExportFormatSchema, type ExportFormat } from "../schema/export.js";
import { UserError } from "../util/errors.js";
import { openChecker } from "../validate/open-checker.js";
import { addCorpusCheckOptions, parsePositiveInt, type CorpusCheckFlags } from "./options.js";
import { createProgress, type Progress } from "./progress.js";
import { interruptSignal, runCommand } from "./run-command.js";

/** Flags shared by dedup, stats and export: where the corpus and its verdicts come from. */
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

const STAGE_LABELS: Record<PipelineStage, string> = { validate: "validate", fingerprint: "fingerprint", dedup: "minhash", tokens: "tokens" };

/** Load the corpus, its system prompts and eval set, and decide every sample's fate. */
export async function runPipeline(paths: string[], flags: PipelineFlags): Promise<{ loaded: LoadedConfig; prepared: PreparedTrainingSet; base: string; fitted?: FittedSystemPrompt }> {
  const cwd = process.cwd();
  const loaded = await loadConfig(cwd, flags.config);
  const { config, root } = loaded;
  // Sample file names are relative to this folder.
  const base = paths.length > 0 ? cwd : root;
  const samples = await loadCorpus(paths.length > 0 ? paths : config.corpus, { cwd: base, noMatchNote: paths.length > 0 ? undefined : noConfigNote(loaded) });
  const systemPrompts = await loadSystemPrompts(resolve(root, config.systemPrompts));
  const chosen = flags.systemPrompt ?? config.export.systemPrompt;
  const version = chosen === undefined ? systemPrompts.latest : getSystemPrompt(systemPrompts, chosen);
  // The budget only changes which rules the rendering keeps; everything downstream sees a plain version.
  const budget = flags.systemPromptBudget ?? config.export.systemPromptBudget;
  const fitted =
    budget === undefined
      ? undefined
      : fitSystemPrompt(version, { budget, encode: (await loadQwen3Tokenizer()).encode, failures: (await latestEvalSummary(resolve(root, config.eval.runsDir)))?.failures });
  const systemPrompt = fitted?.version ?? version;
  const evalItems = (await loadPromptSet(resolve(root, config.evalPrompts))).set.prompts;
  const { checker } = await openChecker(loaded, { hew: flags.hew, cache: flags.cache, lock: flags.lock, concurrency: flags.concurrency });
  let stage: PipelineStage | undefined;
  let bar: Progress | undefined;
  try {
    const prepared = await prepareTrainingSet(samples, {
      checker,
      signal: interruptSignal(),
      dedup: config.dedup,
      evalItems,
      systemPrompt,
      systemPrompts,
      maxSeqLen: flags.maxSeqLen ?? config.export.maxSeqLen,
      onProgress: (now, done, total) => {
        if (now !== stage) {
          bar?.stop();
          bar = createProgress(STAGE_LABELS[now]);
          stage = now;
        }
        bar!.update(done, total);
      },
    });
    return { loaded, prepared, base, ...(fitted ? { fitted } : {}) };
  } finally {
    bar?.stop();
    await checker.close?.();
  }
}

/** Verdicts that no real compiler gave (the test stand-in, say) are worth a loud line. */
export function checkerNotes(prepared: PreparedTrainingSet): string[] {
  const names = new Set(prepared.validation.flatMap((r) => r.blocks.map((b) => b.verdict?.checker.name)).filter((n) => n !== undefined && n !== "hew"));
  return [...names].map((n) => `note: verdicts from ${n}, not the hew compiler`);
}

function parseFormats(value: string): ExportFormat[] {
  const formats = value.split(",").map((f) => f.trim());
  for (const f of formats) {
    if (!ExportFormatSchema.safeParse(f).success) throw new InvalidArgumentError(`unknown format "${f}"; expected ${EXPORT_FORMATS.join(" or ")}, comma-separated`);
  }
  if (new Set(formats).size !== formats.length) throw new InvalidArgumentError("expected each format once");
  return formats as ExportFormat[];
}

function parseSeed(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 2 ** 32 - 1) throw new InvalidArgumentError("expected an integer from 0 to 4294967295");
  return n;
}

interface ExportFlags extends PipelineFlags {
  out?: string;
  format?: ExportFormat[];
  seed?: number;
  shuffle?: boolean;
}

export function registerExport(program: Command): void {
  addPipelineOptions(program.command("export").description("write the training set: valid, deduplicated, free of eval leaks, within the token budget"))
    .option("-o, --out <dir>", "output folder (default: the config's export.out)")
    .option("--format <list>", `formats, comma-separated: ${EXPORT_FORMATS.join(", ")} (default: the config's)`, parseFormats)
    .option("--seed <n>", "shuffle seed (default: the config's)", parseSeed)
    .option("--no-shuffle", "keep corpus order")
    .action((paths: string[], flags: ExportFlags) =>
      runCommand(async () => {
        const { loaded, prepared, fitted } = await runPipeline(paths, flags);
        const settings = loaded.config.export;
        const out = flags.out !== undefined ? resolve(flags.out) : resolve(loaded.root, settings.out);
        if (prepared.funnel.exported === 0) {
          process.stderr.write([formatFunnel(prepared.funnel), ...formatDropped(prepared), ...checkerNotes(prepared)].join("\n") + "\n");
          throw new UserError(`nothing to export: no sample passed every stage; ${out} left as it was`, 1);
        }
        const manifest = await writeTrainingSet(prepared, {
          out,
          formats: flags.format ?? settings.formats,
          shuffle: flags.shuffle === false ? false : settings.shuffle,
          seed: flags.seed ?? settings.seed,
          ...(fitted ? { systemPromptBudget: fitted } : {}),
        });
        if (flags.json) process.stdout.write(JSON.stringify(manifest, null, 2) + "\n");
        else {
          const dropped = formatDropped(prepared);
          process.stdout.write(
            [
              `hew-corpus export: ${manifest.funnel.exported} samples, system prompt ${manifest.systemPrompt.id}, ${manifest.tokens.total} tokens (max ${manifest.tokens.max} of ${manifest.tokenizer.maxSeqLen})`,
              `system prompt: ${manifest.systemPrompt.tokens} tokens, ${manifest.systemPrompt.rules.length} rules${manifest.systemPrompt.budget ? ` kept under the budget of ${manifest.systemPrompt.budget.tokens} (left out: ${manifest.systemPrompt.budget.dropped.join(", ") || "none"})` : ""}`,
              formatFunnel(prepared.funnel),
              ...(dropped.length > 0 ? ["left out:", ...dropped] : []),
              ...checkerNotes(prepared),
              `wrote ${[...manifest.files.map((f) => f.path), "manifest.json"].join(", ")} to ${out}`,
            ].join("\n") + "\n",
          );
        }
      }),
    );
}
