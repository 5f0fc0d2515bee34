import type { Command } from "commander";
import { join, resolve } from "node:path";
import { loadConfig } from "../config.js";
import { writeFileAtomic } from "../util/atomic-write.js";
import { openChecker } from "../validate/open-checker.js";
import { interruptSignal, runCommand } from "./run-command.js";
import { REGISTRY_OPTION, openRegistry } from "./runs.js";

interface ReportFlags {
  out?: string;
  registry?: string;
  config?: string;
  hew?: string;
  cache: boolean;
  title?: string;
}

export function registerReport(program: Command): void {
  program
    .command("report")
    .description("write one self-contained HTML report: pass rates, categories, failures, corpus composition, funnel")
    .option("-o, --out <file>", "the HTML file to write (default: runs/report.html beside hew-corpus.config.yaml)")
    .option(...REGISTRY_OPTION)
    .option("-c, --config <file>", "config file (default: nearest hew-corpus.config.yaml)")
    .option("--hew <path>", "hew binary for blocks neither the verdict lock nor the cache knows")
    .option("--no-cache", "do not read or write the verdict cache")
    .option("--title <text>", "the report's title")
    .action((flags: ReportFlags) =>
      runCommand(async () => {
        // Loaded on use: Vega-Lite is large, and other commands (the pre-commit hook's above all) start faster without it.
        const [{ gatherReportData }, { renderReportHtml }] = await Promise.all([import("../report/gather.js"), import("../report/html.js")]);
        const loaded = await loadConfig(process.cwd(), flags.config);
        const { checker } = await openChecker(loaded, { hew: flags.hew, cache: flags.cache });
        try {
          const data = await gatherReportData({ loaded, registry: openRegistry(loaded, flags.registry), checker, title: flags.title, signal: interruptSignal() });
          const out = flags.out ? resolve(flags.out) : join(loaded.root, "runs", "report.html");
          await writeFileAtomic(out, renderReportHtml(data));
          const evaluated = data.runs.filter((r) => r.eval).length;
          process.stdout.write(`wrote ${out}: ${data.runs.length} runs (${evaluated} with eval results), ${data.funnel[0]?.samples ?? 0} samples\n`);
        } finally {
          await checker.close?.();
        }
      }),
    );
}
