import type { Command } from "commander";
import { loadConfig } from "../config.js";
import { formatProjectDrift, projectDrift, projectDriftJson } from "../corrections/project-drift.js";
import { addCheckerOptions, parsePositiveInt, type CheckerFlags } from "./options.js";
import { createProgress } from "./progress.js";
import { interruptSignal, runCommand } from "./run-command.js";

interface DriftFlags extends CheckerFlags {
  renderings?: number;
  json?: boolean;
}

export function registerDrift(program: Command): void {
  addCheckerOptions(
    program.command("drift").description("after a Hew upgrade: check samples (against the lock), eval references, correction templates and rule examples with today's hew"),
  )
    .option("--renderings <n>", "seeds per correction template (default 4)", parsePositiveInt)
    .option("--json", "print a machine-readable report on stdout")
    .action((flags: DriftFlags) =>
      runCommand(async () => {
        const cwd = process.cwd();
        const progress = createProgress("drift");
        try {
          const result = await projectDrift({
            config: await loadConfig(cwd, flags.config),
            cwd,
            hew: flags.hew,
            cache: flags.cache,
            concurrency: flags.concurrency,
            renderings: flags.renderings,
            signal: interruptSignal(),
            onProgress: ({ done, total }) => progress.update(done, total),
          });
          progress.stop();
          process.stdout.write((flags.json ? JSON.stringify(projectDriftJson(result), null, 2) : formatProjectDrift(result)) + "\n");
          return result.passed ? 0 : 1;
        } finally {
          progress.stop();
        }
      }),
    );
}
