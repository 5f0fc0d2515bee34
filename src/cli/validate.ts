import type { Command } from "commander";
import { resolve } from "node:path";
import { loadConfig, noConfigNote, type LoadedConfig } from "../config.js";
import { loadCorpus, resolveCorpusFiles } from "../chatml/load-corpus.js";
import type { LocatedSample } from "../chatml/jsonl.js";
import { openChecker } from "../validate/open-checker.js";
import { loadStagedSamples, stagedFiles } from "../validate/staged.js";
import { validateSamples } from "../validate/validate-samples.js";
import { allPassed, formatValidationReport, summarize, validationReportJson } from "../validate/report.js";
import { VerdictLock } from "../validate/verdict-lock.js";
import { fixFailingBlocks, formatFixes, writeFixedSamples } from "../validate/apply-fixes.js";
import { UserError } from "../util/errors.js";
import { createProgress } from "./progress.js";
import { interruptSignal, runCommand } from "./run-command.js";
import { addCorpusCheckOptions, type CorpusCheckFlags } from "./options.js";

interface ValidateFlags extends CorpusCheckFlags {
  updateLock?: boolean;
  json?: boolean;
  staged?: boolean;
  fix?: boolean;
}

async function selectSamples(paths: string[], flags: ValidateFlags, cwd: string, loaded: LoadedConfig): Promise<LocatedSample[]> {
  const { config, root } = loaded;
  const fromConfig = { cwd: root, noMatchNote: noConfigNote(loaded) };
  if (!flags.staged) return paths.length > 0 ? loadCorpus(paths, { cwd }) : loadCorpus(config.corpus, fromConfig);
  // Only staged files that belong to the corpus (or to the given paths) are judged.
  const corpus = new Set(paths.length > 0 ? (await resolveCorpusFiles(paths, { cwd })).map((f) => resolve(cwd, f)) : (await resolveCorpusFiles(config.corpus, fromConfig)).map((f) => resolve(root, f)));
  const staged = (await stagedFiles(cwd)).filter((f) => corpus.has(resolve(cwd, f)));
  return loadStagedSamples(staged, cwd);
}

export function registerValidate(program: Command): void {
  addCorpusCheckOptions(program.command("validate").description("check every Hew code block of the corpus with `hew check` (lock and cache first)"))
    .option("--update-lock", "write this run's verdicts to the lock (only when every block has a real verdict)")
    .option("--json", "print a machine-readable report on stdout")
    .option("--staged", "only files staged in git, as staged (for a pre-commit hook)")
    .option("--fix", "apply the compiler's suggested fixes to failing blocks; rewrite the samples whose blocks then pass")
    .action((paths: string[], flags: ValidateFlags) =>
      runCommand(async () => {
        if (flags.fix && flags.staged) throw new UserError("--fix cannot be used with --staged: the samples come from git's index, the fixes would go to the working tree");
        const cwd = process.cwd();
        const loaded = await loadConfig(cwd, flags.config);
        const samples = await selectSamples(paths, flags, cwd, loaded);
        const { checker, cache } = await openChecker(loaded, { hew: flags.hew, cache: flags.cache, lock: flags.lock, concurrency: flags.concurrency });
        const progress = createProgress("validate");
        try {
          const signal = interruptSignal();
          let results = await validateSamples(samples, checker, {
            signal,
            onProgress: ({ done, total }) => progress.update(done, total),
            history: cache,
          });
          progress.stop();
          if (flags.fix) {
            const fixed = await fixFailingBlocks(results, checker, { signal });
            await writeFixedSamples(fixed.fixes, samples, paths.length > 0 ? cwd : loaded.root);
            (flags.json ? process.stderr : process.stdout).write(formatFixes(fixed.fixes) + "\n");
            results = fixed.results;
          }
          const funnel = summarize(results);
          if (flags.json) process.stdout.write(JSON.stringify(validationReportJson(results, funnel), null, 2) + "\n");
          else process.stdout.write(formatValidationReport(results, funnel) + "\n");
          if (flags.updateLock) {
            const target = resolve(loaded.root, typeof flags.lock === "string" ? flags.lock : loaded.config.lock);
            const verdicts = results.flatMap((r) => r.blocks.map((b) => b.verdict));
            if (funnel.unchecked > 0 || funnel.checkerError > 0) throw new UserError(`not writing ${target}: some blocks have no real verdict`, 1);
            const n = await VerdictLock.write(target, verdicts.filter((v) => v !== undefined));
            process.stderr.write(`hew-corpus: wrote ${n} verdicts to ${target}\n`);
          }
          return allPassed(funnel) ? 0 : 1;
        } finally {
          progress.stop();
          await checker.close?.();
        }
      }),
    );
}
