import type { Command } from "commander";
import { loadConfig } from "../config.js";
import { formatFixes } from "../validate/apply-fixes.js";
import { formatLockDrift, lockDriftJson } from "../validate/drift.js";
import { formatLockNote, formatValidationReport, validateExitStatus, validationReportJson } from "../validate/report.js";
import { validateCorpus } from "../validate/validate-corpus.js";
import { createProgress } from "./progress.js";
import { interruptSignal, runCommand } from "./run-command.js";
import { addCorpusCheckOptions, type CorpusCheckFlags } from "./options.js";

interface ValidateFlags extends CorpusCheckFlags {
  updateLock?: boolean;
  json?: boolean;
  staged?: boolean;
  fix?: boolean;
}

export function registerValidate(program: Command): void {
  addCorpusCheckOptions(program.command("validate").description("check every Hew code block of the corpus with `hew check` (lock and cache first)"))
    .option("--update-lock", "write this run's verdicts to the lock (only when every block has a real verdict)")
    .option("--json", "print a machine-readable report on stdout")
    .option("--staged", "only files staged in git, as staged (for a pre-commit hook)")
    .option("--fix", "apply the compiler's suggested fixes to failing blocks; rewrite the samples whose blocks then pass")
    .action((paths: string[], flags: ValidateFlags) =>
      runCommand(async () => {
        const cwd = process.cwd();
        const progress = createProgress("validate");
        try {
          const result = await validateCorpus({
            config: await loadConfig(cwd, flags.config),
            cwd,
            paths,
            staged: flags.staged,
            fix: flags.fix,
            updateLock: flags.updateLock,
            hew: flags.hew,
            cache: flags.cache,
            lock: flags.lock,
            concurrency: flags.concurrency,
            signal: interruptSignal(),
            onProgress: ({ done, total }) => progress.update(done, total),
          });
          progress.stop();
          if (result.fixes) (flags.json ? process.stderr : process.stdout).write(formatFixes(result.fixes) + "\n");
          if (flags.json) {
            const report = { ...validationReportJson(result.results, result.funnel), compiler: result.compiler, drift: result.drift && lockDriftJson(result.drift) };
            process.stdout.write(JSON.stringify(report, null, 2) + "\n");
          } else {
            const sections = [formatValidationReport(result.results, result.funnel), result.drift ? formatLockDrift(result.drift) : "", formatLockNote(result.funnel, result.compiler)];
            process.stdout.write(sections.filter(Boolean).join("\n") + "\n");
          }
          if (result.lockWritten) process.stderr.write(`hew-corpus: wrote ${result.lockWritten.verdicts} verdicts to ${result.lockWritten.file}\n`);
          // 3: blocks went unchecked (no compiler), which a hook must tell apart from a rejected sample
          return result.passed ? 0 : validateExitStatus(result.funnel) || 1;
        } finally {
          progress.stop();
        }
      }),
    );
}
