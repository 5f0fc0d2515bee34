import { Option, type Command } from "commander";
import { existsSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { loadConfig, type LoadedConfig } from "../config.js";
import { parseSamplesJsonl } from "../chatml/jsonl.js";
import { loadSamples, resolveCorpusFiles } from "../chatml/load-corpus.js";
import { AdmissionGate } from "../dedup/admission.js";
import { getSystemPrompt, loadSystemPrompts } from "../chatml/system-prompt.js";
import { appendSamples } from "../corrections/corpus-file.js";
import { readRunAnswers } from "../corrections/eval-run.js";
import { findEvalRun } from "../eval/run-file.js";
import { CORRECTION_FORMS, generateCorrections, type CategoryOutcome, type CorrectionForm } from "../corrections/generate.js";
import { failureCounts, formatPlan, planCorrections } from "../corrections/plan.js";
import { failureRegistry, getFailureCategory } from "../failures/registry.js";
import type { FailureCategoryId } from "../schema/corrections.js";
import { UserError } from "../util/errors.js";
import { readTextFile } from "../util/read-text.js";
import { openChecker } from "../validate/open-checker.js";
import { CONFIG_OPTION, HEW_OPTION, NO_CACHE_OPTION, parsePositiveInt } from "./options.js";
import { interruptSignal, runCommand } from "./run-command.js";

const DEFAULT_PER_CATEGORY = 10;
const DEFAULT_OUT = "corpus/samples/corrections.jsonl";

function parseCount(value: string): number {
  return value === "0" ? 0 : parsePositiveInt(value);
}

async function promptVersion(loaded: LoadedConfig, id: string | undefined) {
  const store = await loadSystemPrompts(resolve(loaded.root, loaded.config.systemPrompts));
  return id === undefined ? store.latest : getSystemPrompt(store, id);
}

/** The failing categories of a run that have templates, most frequent first. */
/** A run file or folder, or an eval run's id in the config's runs folder (as `eval show` and `eval compare` take). */
function evalRunPath(ref: string, loaded: LoadedConfig): Promise<string> {
  return findEvalRun(ref, resolve(loaded.root, loaded.config.eval.runsDir));
}

async function categoriesOfRun(run: string): Promise<FailureCategoryId[]> {
  return failureCounts(await readRunAnswers(run), 1)
    .filter((c) => c.proposedSamples > 0)
    .map((c) => c.category);
}

function formatOutcomes(outcomes: readonly CategoryOutcome[], perCategory: number): string {
  const width = Math.max(8, ...outcomes.map((o) => o.category.length));
  const lines = [`${"category".padEnd(width)}  admitted  rendered  rejected`];
  for (const o of outcomes) {
    const rejected = Object.entries(o.rejected)
      .map(([k, n]) => `${k} ${n}`)
      .join(", ");
    const note = getFailureCategory(o.category).templates.length === 0 ? "no templates" : rejected;
    lines.push(`${o.category.padEnd(width)}  ${`${o.admitted.length}/${perCategory}`.padStart(8)}  ${String(o.rendered).padStart(8)}  ${note}`);
  }
  const examples = outcomes.flatMap((o) => o.examples.map((e) => `  ${o.category}: ${e}`));
  if (examples.length > 0) lines.push("", "first rejection of each kind:", ...examples);
  return lines.join("\n");
}

interface CommonFlags {
  config?: string;
}

export function registerCorrections(program: Command): void {
  const corrections = program.command("corrections").description("failure categories, correction samples from eval failures");

  corrections
    .command("list")
    .description("the failure registry: categories in priority order, with their templates and prompt rules")
    .action(() =>
      runCommand(async () => {
        for (const c of failureRegistry) {
          process.stdout.write(`${c.id}: ${c.title}\n  ${c.description}\n`);
          process.stdout.write(`  recognises: ${c.matchers.map((m) => m.description).join("; ") || "whatever no other category does"}\n`);
          process.stdout.write(`  templates: ${c.templates.map((t) => t.id).join(", ") || "none"}\n  rules: ${c.rules.map((r) => r.id).join(", ") || "none"}\n\n`);
        }
      }),
    );

  corrections
    .command("plan")
    .description("from an eval run: failures by category, correction samples to generate, prompt rules missing")
    .argument("<run>", "the eval run: its id in the runs folder, a JSONL file of answers, or a folder of them")
    .option(...CONFIG_OPTION)
    .option("-n, --per-category <n>", "correction samples to propose per failing category", parseCount, DEFAULT_PER_CATEGORY)
    .option("--prompt <id>", "system-prompt version to compare rules with (default: the latest)")
    .option("--json", "print the plan as JSON")
    .action((run: string, flags: CommonFlags & { perCategory: number; prompt?: string; json?: boolean }) =>
      runCommand(async () => {
        const loaded = await loadConfig(process.cwd(), flags.config);
        const prompt = await promptVersion(loaded, flags.prompt);
        const plan = planCorrections(await readRunAnswers(await evalRunPath(run, loaded)), { perCategory: flags.perCategory, prompt });
        process.stdout.write((flags.json ? JSON.stringify(plan, null, 2) : formatPlan(plan, run)) + "\n");
      }),
    );

  corrections
    .command("generate")
    .description("render correction samples, admit those the checker passes, and append them to the corpus")
    .option(...CONFIG_OPTION)
    .option("--run <run>", "generate for the failing categories of this eval run")
    .option("--category <id...>", "generate for these failure categories")
    .option("-n, --per-category <n>", "samples to admit per category", parsePositiveInt, DEFAULT_PER_CATEGORY)
    .option("--seed <text>", "seed of every choice; the same seed renders the same samples", "hew-corpus")
    .addOption(new Option("--form <form...>", "sample forms").choices([...CORRECTION_FORMS]))
    .option("-o, --out <file>", `corpus file to append to (default: ${DEFAULT_OUT} beside the config)`)
    .option(...HEW_OPTION)
    .option(...NO_CACHE_OPTION)
    .option("--dry-run", "check and report, write nothing")
    .action(
      (flags: CommonFlags & { run?: string; category?: string[]; perCategory: number; seed: string; form?: CorrectionForm[]; out?: string; hew?: string; cache: boolean; dryRun?: boolean }) =>
        runCommand(async () => {
          if (!flags.run === !flags.category) throw new UserError("say what to correct: --run RUN (its failing categories) or --category ID ...");
          const loaded = await loadConfig(process.cwd(), flags.config);
          const categories = flags.category ? flags.category.map((id) => getFailureCategory(id).id) : await categoriesOfRun(await evalRunPath(flags.run!, loaded));
          if (categories.length === 0) {
            process.stdout.write(`${flags.run}: no failures with correction templates; nothing to generate\n`);
            return 0;
          }
          const out = flags.out ? resolve(flags.out) : join(loaded.root, DEFAULT_OUT);
          const inOut = existsSync(out) ? parseSamplesJsonl(await readTextFile(out, "sample file"), out).map((s) => s.sample) : [];
          const existingIds = new Set(inOut.map((s) => s.id));
          // Refused here what the export's dedup would drop later: against the corpus, the out file and each other.
          // A corpus with no sample file yet (the first corrections run) has nothing to repeat.
          const files = await resolveCorpusFiles(loaded.config.corpus, { cwd: loaded.root }).catch((err: unknown) => {
            if (err instanceof UserError) return [];
            throw err;
          });
          const corpus = (await loadSamples(files, { cwd: loaded.root })).map((s) => s.sample).filter((s) => !existingIds.has(s.id));
          const admission = new AdmissionGate([...corpus, ...inOut], loaded.config.dedup);
          const { checker } = await openChecker(loaded, { hew: flags.hew, cache: flags.cache });
          try {
            const outcomes = await generateCorrections(categories, {
              checker,
              perCategory: flags.perCategory,
              seed: flags.seed,
              forms: flags.form,
              existingIds,
              admission,
              signal: interruptSignal(),
            });
            process.stdout.write(formatOutcomes(outcomes, flags.perCategory) + "\n");
            const samples = outcomes.flatMap((o) => o.admitted);
            const shown = relative(process.cwd(), out) || out;
            if (flags.dryRun) process.stdout.write(`\ndry run: ${samples.length} samples admitted, nothing written\n`);
            else {
              const { added, total } = await appendSamples(out, samples);
              process.stdout.write(`\nwrote ${added.length} new samples to ${shown} (${total} in the file)\n`);
            }
            return outcomes.every((o) => o.admitted.length === flags.perCategory) ? 0 : 1;
          } finally {
            await checker.close?.();
          }
        }),
    );
}
