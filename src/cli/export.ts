import { InvalidArgumentError, type Command } from "commander";
import { exportTrainingSet, NothingToExportError } from "../export/export-corpus.js";
import { checkerNotes, formatDropped, formatFunnel } from "../export/report.js";
import { EXPORT_FORMATS, ExportFormatSchema, type ExportFormat } from "../schema/export.js";
import { addPipelineOptions, pipelineChoices, type PipelineFlags } from "./options.js";
import { withPipelineProgress } from "./progress.js";
import { runCommand } from "./run-command.js";

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
        const choices = await pipelineChoices(paths, flags);
        let exported;
        try {
          exported = await withPipelineProgress((onProgress) =>
            exportTrainingSet({ ...choices, onProgress, out: flags.out, formats: flags.format, seed: flags.seed, shuffle: flags.shuffle === false ? false : undefined }),
          );
        } catch (err) {
          if (err instanceof NothingToExportError) {
            process.stderr.write([formatFunnel(err.prepared.funnel), ...formatDropped(err.prepared), ...checkerNotes(err.prepared)].join("\n") + "\n");
          }
          throw err;
        }
        const { prepared, manifest, out } = exported;
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
