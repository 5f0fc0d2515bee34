import type { Command } from "commander";
import { join, resolve } from "node:path";
import { loadConfig, type LoadedConfig } from "../config.js";
import { runRows } from "../report/run-rows.js";
import { formatRunsMarkdown, formatRunsTable } from "../report/runs-table.js";
import { DEFAULT_REGISTRY, RunRegistry } from "../train/run-registry.js";
import { runCommand } from "./run-command.js";

export const REGISTRY_OPTION = ["--registry <file>", "run registry (default: runs/registry.jsonl beside hew-corpus.config.yaml)"] as const;

/** The registry a command reads: the flag (from where the user stands), else the default beside the config. */
export function openRegistry(loaded: LoadedConfig, flag: string | undefined): RunRegistry {
  return new RunRegistry(flag ? resolve(flag) : join(loaded.root, DEFAULT_REGISTRY));
}

export function registerRuns(program: Command): void {
  program
    .command("runs")
    .description("print the run registry as a table: version, samples, config, pass rate and its interval")
    .option(...REGISTRY_OPTION)
    .option("-c, --config <file>", "config file (default: nearest hew-corpus.config.yaml)")
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
