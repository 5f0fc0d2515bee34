import type { Command } from "commander";
import { loadConfig } from "../config.js";
import { runRows } from "../report/run-rows.js";
import { formatRunsMarkdown, formatRunsTable } from "../report/runs-table.js";
import { openRegistry } from "../train/run-registry.js";
import { CONFIG_OPTION, REGISTRY_OPTION } from "./options.js";
import { runCommand } from "./run-command.js";

export function registerRuns(program: Command): void {
  program
    .command("runs")
    .description("print the run registry as a table: version, samples, config, pass rate and its interval")
    .option(...REGISTRY_OPTION)
    .option(...CONFIG_OPTION)
    .option("--markdown", "print a Markdown table (for a README)")
    .action((flags: { registry?: string; config?: string; markdown?: boolean }) =>
      runCommand(async () => {
        const registry = openRegistry(await loadConfig(process.cwd(), flags.config), flags.registry);
        const records = await registry.list();
        if (records.length === 0) {
          process.stderr.write(`hew-corpus: no runs recorded in ${registry.file} yet (hew-corpus train records them)\n`);
          return;
        }
        const rows = runRows(records);
        process.stdout.write((flags.markdown ? formatRunsMarkdown(rows) : formatRunsTable(rows)) + "\n");
      }),
    );
}
