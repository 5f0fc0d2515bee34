import type { Command } from "commander";
import { prepareCorpus } from "../export/export-corpus.js";
import { checkerNotes, formatFunnel } from "../export/report.js";
import { corpusStats, formatStats } from "../export/stats.js";
import { addPipelineOptions, pipelineChoices, type PipelineFlags } from "./options.js";
import { withPipelineProgress } from "./progress.js";
import { runCommand } from "./run-command.js";

export function registerStats(program: Command): void {
  addPipelineOptions(program.command("stats").description("counts by category and source, token lengths, validation status and the export funnel")).action(
    (paths: string[], flags: PipelineFlags) =>
      runCommand(async () => {
        const choices = await pipelineChoices(paths, flags);
        const { prepared } = await withPipelineProgress((onProgress) => prepareCorpus({ ...choices, onProgress }));
        const stats = corpusStats(prepared);
        if (flags.json) process.stdout.write(JSON.stringify(stats, null, 2) + "\n");
        else process.stdout.write([formatStats(stats), formatFunnel(stats.funnel, "would export"), ...checkerNotes(prepared)].join("\n") + "\n");
      }),
  );
}
