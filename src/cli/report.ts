import type { Command } from "commander";
import { join, resolve } from "node:path";
import { writeFileAtomic } from "../util/atomic-write.js";
import { prepareCorpus } from "../export/export-corpus.js";
import { checkerNotes } from "../export/report.js";
import { addPipelineOptions, pipelineChoices, type PipelineFlags } from "./options.js";
import { withPipelineProgress } from "./progress.js";
import { runCommand } from "./run-command.js";
import { REGISTRY_OPTION } from "./options.js";
import { openRegistry } from "../train/run-registry.js";

interface ReportFlags extends PipelineFlags {
  out?: string;
  registry?: string;
  title?: string;
}

export function registerReport(program: Command): void {
  addPipelineOptions(
    program.command("report").description("write one self-contained HTML report: pass rates, categories, failures, corpus composition, token lengths, funnel"),
  )
    .option("-o, --out <file>", "the HTML file to write (default: runs/report.html beside hew-corpus.config.yaml)")
    .option(...REGISTRY_OPTION)
    .option("--title <text>", "the report's title")
    .action((paths: string[], flags: ReportFlags) =>
      runCommand(async () => {
        // Loaded on use: Vega-Lite is large, and other commands (the pre-commit hook's above all) start faster without it.
        const [{ reportData }, { renderReportHtml }] = await Promise.all([import("../report/gather.js"), import("../report/html.js")]);
        const choices = await pipelineChoices(paths, flags);
        const { config: loaded, prepared } = await withPipelineProgress((onProgress) => prepareCorpus({ ...choices, onProgress }));
        const runs = await openRegistry(loaded, flags.registry).list();
        const data = reportData({ runs, prepared, title: flags.title });
        if (flags.json) {
          process.stdout.write(JSON.stringify(data, null, 2) + "\n");
          return;
        }
        const out = flags.out ? resolve(flags.out) : join(loaded.root, "runs", "report.html");
        await writeFileAtomic(out, renderReportHtml(data));
        const evaluated = data.runs.filter((r) => r.eval).length;
        process.stdout.write([`wrote ${out}: ${runs.length} runs (${evaluated} with eval results), ${prepared.funnel.loaded} samples`, ...checkerNotes(prepared)].join("\n") + "\n");
      }),
    );
}
