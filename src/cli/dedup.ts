import type { Command } from "commander";
import { resolve } from "node:path";
import { writeSamplesJsonl } from "../chatml/jsonl.js";
import { duplicatesJson, formatDuplicates } from "../dedup/report.js";
import { prepareCorpus } from "../export/export-corpus.js";
import { checkerNotes, formatFunnel } from "../export/report.js";
import { UserError } from "../util/errors.js";
import { addPipelineOptions, pipelineChoices, type PipelineFlags } from "./options.js";
import { withPipelineProgress } from "./progress.js";
import { runCommand } from "./run-command.js";

interface DedupFlags extends PipelineFlags {
  apply?: boolean;
  out: string;
}

export function registerDedup(program: Command): void {
  addPipelineOptions(program.command("dedup").description("report duplicate clusters and eval leaks; --apply writes a deduplicated copy"))
    .option("--apply", "write the corpus without the samples the clusters drop")
    .option("-o, --out <dir>", "folder for the deduplicated copy (same file names as the corpus)", "deduplicated")
    .action((paths: string[], flags: DedupFlags) =>
      runCommand(async () => {
        const choices = await pipelineChoices(paths, flags);
        const { prepared, base } = await withPipelineProgress((onProgress) => prepareCorpus({ ...choices, onProgress }));
        const { dedup, leaks } = prepared;
        if (flags.json) process.stdout.write(JSON.stringify({ funnel: prepared.funnel, ...duplicatesJson(dedup, leaks) }, null, 2) + "\n");
        else process.stdout.write([formatDuplicates(dedup, leaks), formatFunnel(prepared.funnel, "would export"), ...checkerNotes(prepared)].join("\n") + "\n");
        if (flags.apply) {
          const out = resolve(flags.out);
          const byFile = new Map<string, typeof prepared.decisions>();
          for (const d of prepared.decisions) {
            const inFile = byFile.get(d.sample.file);
            if (inFile) inFile.push(d);
            else byFile.set(d.sample.file, [d]);
          }
          const outside = [...byFile.keys()].find((file) => file.startsWith(".."));
          if (outside) throw new UserError(`${outside} lies outside ${base}; run from a folder that holds every sample file`);
          const targets = [...byFile.keys()].map((file) => ({ file, target: resolve(out, file) }));
          const clash = targets.find(({ file, target }) => target === resolve(base, file));
          if (clash) throw new UserError(`--out ${flags.out} would overwrite ${clash.file}; choose a folder outside the corpus`);
          for (const { file, target } of targets) {
            await writeSamplesJsonl(target, byFile.get(file)!.filter((d) => !dedup.duplicateOf.has(d.sample.sample.id)).map((d) => d.sample.sample));
          }
          process.stderr.write(`hew-corpus: wrote ${prepared.decisions.length - dedup.duplicateOf.size} samples (${dedup.duplicateOf.size} duplicates left out) to ${out}\n`);
        }
        return leaks.length > 0 || (dedup.clusters.length > 0 && !flags.apply) ? 1 : 0;
      }),
    );
}
