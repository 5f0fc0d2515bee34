import type { Command } from "commander";
import { existsSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { stringify } from "yaml";
import { loadConfig } from "../config.js";
import { diffSystemPrompts, getSystemPrompt, loadSystemPrompts, renderSystemPrompt, type SystemPromptDiff } from "../chatml/system-prompt.js";
import { readRunAnswers } from "../corrections/eval-run.js";
import { failureCounts } from "../corrections/plan.js";
import { nextPromptVersion, nextVersionId, proposeRules } from "../corrections/rules.js";
import { SystemPromptVersionSchema, type SystemPromptRule, type SystemPromptVersion } from "../schema/system-prompt.js";
import { writeFileAtomic } from "../util/atomic-write.js";
import { UserError } from "../util/errors.js";
import { checkPromptRules, formatPromptCheck, promptCheckJson, promptCheckPassed } from "../corrections/rule-examples.js";
import { openChecker } from "../validate/open-checker.js";
import { addCheckerOptions, CONFIG_OPTION, type CheckerFlags } from "./options.js";
import { interruptSignal, runCommand } from "./run-command.js";

const ruleLabel = (r: SystemPromptRule) => `${r.id} [${r.category ?? "no category"}, added in ${r.addedIn}, ${exampleCount(r)}]`;

/** A rule's examples as the diff and show print them: each program indented under what it must do. */
export function formatExamples(r: SystemPromptRule, indent = "    "): string[] {
  const program = (code: string) => code.trimEnd().split("\n").map((l) => (l ? `${indent}    ${l}` : ""));
  return [
    ...(r.examples?.good ?? []).flatMap((code, i) => [`${indent}good ${i + 1} (must pass):`, ...program(code)]),
    ...(r.examples?.bad ?? []).flatMap((b, i) => [`${indent}bad ${i + 1} (must fail with ${b.fails}):`, ...program(b.program)]),
  ];
}

const exampleCount = (r: SystemPromptRule) => {
  const n = (r.examples?.good.length ?? 0) + (r.examples?.bad.length ?? 0);
  return n === 0 ? "no examples" : `${n} examples`;
};

export function formatVersion(v: SystemPromptVersion): string {
  const lines = [`${v.id}${v.parent ? ` (parent ${v.parent})` : ""}: ${v.rules.length} rules`];
  if (v.description) lines.push(v.description);
  lines.push("", ...v.rules.flatMap((r, i) => [`${i + 1}. ${ruleLabel(r)}`, `   ${r.text.trim()}`]));
  return lines.join("\n");
}

export function formatDiff(d: SystemPromptDiff): string {
  const lines = [`${d.from} -> ${d.to}: ${d.added.length} added, ${d.removed.length} removed, ${d.changed.length} changed${d.preambleChanged ? ", preamble changed" : ""}`];
  for (const r of d.added) lines.push(`+ ${ruleLabel(r)}`, `    ${r.text.trim()}`, ...formatExamples(r));
  for (const r of d.removed) lines.push(`- ${ruleLabel(r)}`, `    ${r.text.trim()}`);
  for (const c of d.changed) {
    lines.push(`~ ${c.id}: ${c.fields.join(", ")} changed`);
    for (const f of c.fields) {
      if (f === "examples") lines.push("    examples: -", ...formatExamples(c.before, "      "), "    examples: +", ...formatExamples(c.after, "      "));
      else lines.push(`    ${f}: - ${String(c.before[f] ?? "").trim()}`, `    ${f}: + ${String(c.after[f] ?? "").trim()}`);
    }
  }
  return lines.join("\n");
}

export function registerPrompt(program: Command): void {
  const prompt = program.command("prompt").description("system-prompt versions: show, diff, and make the next one from the failure registry");
  const store = async (config?: string) => {
    const loaded = await loadConfig(process.cwd(), config);
    const dir = resolve(loaded.root, loaded.config.systemPrompts);
    return { dir, loaded, ...(await loadSystemPrompts(dir)) };
  };

  addCheckerOptions(
    prompt
      .command("check")
      .description("run every rule's good: and bad: examples through hew and report the stale rules")
      .argument("[ids...]", "version ids (default: the latest)"),
  )
    .option("--json", "print a machine-readable report on stdout")
    .action((ids: string[], flags: CheckerFlags & { json?: boolean }) =>
      runCommand(async () => {
        const s = await store(flags.config);
        const versions = ids.length > 0 ? ids.map((id) => getSystemPrompt(s, id)) : [s.latest];
        // Examples are not corpus blocks: the lock never answers for them.
        const { checker } = await openChecker(s.loaded, { hew: flags.hew, cache: flags.cache, concurrency: flags.concurrency, lock: false });
        try {
          const signal = interruptSignal();
          const checks = [];
          for (const v of versions) checks.push(await checkPromptRules(v, checker, { signal }));
          if (flags.json) process.stdout.write(JSON.stringify(checks.map(promptCheckJson), null, 2) + "\n");
          else process.stdout.write(checks.map(formatPromptCheck).join("\n") + "\n");
          return checks.every(promptCheckPassed) ? 0 : 1;
        } finally {
          await checker.close?.();
        }
      }),
    );

  prompt
    .command("show")
    .description("print a version's rules (or, with --rendered, the exact system message)")
    .argument("[id]", "version id (default: the latest)")
    .option(...CONFIG_OPTION)
    .option("--rendered", "print the system message as a model sees it")
    .action((id: string | undefined, flags: { config?: string; rendered?: boolean }) =>
      runCommand(async () => {
        const s = await store(flags.config);
        const v = id === undefined ? s.latest : getSystemPrompt(s, id);
        process.stdout.write((flags.rendered ? renderSystemPrompt(v) : formatVersion(v)) + "\n");
      }),
    );

  prompt
    .command("diff")
    .description("rules added, removed and changed from version A to version B")
    .argument("<a>", "older version id")
    .argument("<b>", "newer version id")
    .option(...CONFIG_OPTION)
    .action((a: string, b: string, flags: { config?: string }) =>
      runCommand(async () => {
        const s = await store(flags.config);
        process.stdout.write(formatDiff(diffSystemPrompts(getSystemPrompt(s, a), getSystemPrompt(s, b))) + "\n");
      }),
    );

  prompt
    .command("new")
    .description("write the next version: the parent's rules plus the registry's missing or updated rules")
    .requiredOption("--from <id>", "parent version id")
    .option("--id <id>", "new version id (default: the parent's number plus one)")
    .option("--run <run>", "only rules for the failure categories of this eval run")
    .option("--description <text>", "description of the new version")
    .option(...CONFIG_OPTION)
    .action((flags: { from: string; id?: string; run?: string; description?: string; config?: string }) =>
      runCommand(async () => {
        const s = await store(flags.config);
        const parent = getSystemPrompt(s, flags.from);
        // The store keeps one line of versions (exactly one latest), so a new version continues the latest.
        if (parent.id !== s.latest.id) throw new UserError(`--from ${parent.id}: only the latest version (${s.latest.id}) can get a successor`);
        const id = flags.id ?? nextVersionId(parent.id);
        const file = join(s.dir, `${id}.yaml`);
        if (s.versions.has(id) || existsSync(file)) throw new UserError(`${relative(process.cwd(), file)} already exists; choose another --id`);
        const categories = flags.run ? failureCounts(await readRunAnswers(flags.run), 0).map((c) => c.category) : undefined;
        const next = SystemPromptVersionSchema.parse(nextPromptVersion(parent, proposeRules(parent, categories), id, flags.description));
        await writeFileAtomic(file, stringify(next, { lineWidth: 0 }));
        process.stdout.write(`wrote ${relative(process.cwd(), file)}\n${formatDiff(diffSystemPrompts(parent, next))}\n`);
      }),
    );
}
