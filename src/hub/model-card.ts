import { basename } from "node:path";
import { frontMatter, markdownTable } from "../report/markdown.js";
import { formatInterval, formatPassRate, formatPercent, runRows, type RunRow } from "../report/run-rows.js";
import { formatRunsMarkdown } from "../report/runs-table.js";
import type { EvalResults, RunRecord, TrainingOutcome } from "../schema/run.js";
import { EVAL_CATEGORIES } from "../schema/sample.js";

export interface ModelCardInput {
  repo: string;
  /** The training run whose adapter is published. */
  run: RunRecord & { training: TrainingOutcome };
  /** Every run of the registry, for the history table. */
  runs: readonly RunRecord[];
  /** The adapter's file name in the repository. */
  adapterFile: string;
  /** The base model's Hub id, for the card's metadata. */
  baseModel?: string;
  license?: string;
}

/** The eval row that measures this run: its own results, else the latest eval run of it. */
export function evalRowOf(rows: readonly RunRow[], runs: readonly RunRecord[], id: string): RunRow | undefined {
  const measuring = runs.filter((r) => r.eval && (r.id === id || (r.kind === "eval" && r.parent === id)));
  const latest = measuring.at(-1);
  return latest && rows.find((row) => row.id === latest.id);
}

function evalSection(row: RunRow): string {
  const results: EvalResults = row.eval!;
  const interval = results.interval ? `, ${Math.round(results.interval.level * 100)}% interval ${formatInterval(row)}` : "";
  const known: readonly string[] = EVAL_CATEGORIES;
  const categories = Object.entries(results.perCategory).sort(([a], [b]) => (known.indexOf(a) + 1 || 99) - (known.indexOf(b) + 1 || 99));
  const perCategory = markdownTable(
    ["Category", "Passed", "Rate"],
    categories.map(([c, r]) => [c, `${r.passed}/${r.total}`, formatPercent(r.rate)]),
    [1, 2],
  );
  const failures = Object.entries(results.failureCategories).sort(([, a], [, b]) => b - a);
  const failureTable = failures.length > 0 ? `\n\nWhy failing answers failed:\n\n${markdownTable(["Failure category", "Answers"], failures.map(([c, n]) => [c, String(n)]), [1])}` : "";
  return `Pass rate: **${formatPassRate(row)}**${interval}${results.promptSet ? ` on ${results.promptSet}` : ""} (${row.label}). An
answer passes when its Hew code passes the compiler's checker (\`hew check\`).

${perCategory}${failureTable}`;
}

function trainingTable(training: TrainingOutcome): string {
  const c = training.config;
  const dropout = training.dropout.applied ? String(training.dropout.requested) : `${training.dropout.requested} requested, not applied${training.dropout.note ? ` (${training.dropout.note})` : ""}`;
  const losses = training.losses.map((l) => `epoch ${l.epoch}: train ${l.train.toFixed(3)}${l.validation === null ? "" : `, validation ${l.validation.toFixed(3)}`}`).join("; ");
  const rows: [string, string][] = [
    ["Base model file", basename(c.baseModel)],
    ["LoRA", `rank ${c.lora.rank}, alpha ${c.lora.alpha}, dropout ${dropout}`],
    ["Target modules", c.lora.targetModules.join(", ")],
    ["Epochs", String(c.epochs)],
    ["Learning rate", `${c.learningRate} (${c.schedule}, ${c.warmupSteps} warmup steps), ${c.optimizer}`],
    ["Context length, batch", `${c.contextLength} tokens, ${c.batch}`],
    ["Loss", c.assistantOnlyLoss ? "assistant tokens only" : "every token"],
    ["Samples", `${training.samples.train} train, ${training.samples.validation} validation, ${training.samples.skipped.length} skipped as too long`],
    ["Loss per epoch", losses],
    ["Backend", `llama.cpp ${training.backend.llamaCommit}, ${training.backend.name}${training.backend.flags.length ? ` (${training.backend.flags.join(" ")})` : ""}`],
    ["Seed", String(c.seed)],
  ];
  return markdownTable(["Setting", "Value"], rows);
}

/** The model card (README.md): the eval table first, then the history of versions, then how it was trained. */
export function renderModelCard({ repo, run, runs, adapterFile, baseModel, license }: ModelCardInput): string {
  const rows = runRows(runs);
  const evalRow = evalRowOf(rows, runs, run.id);
  const meta = {
    ...(baseModel ? { base_model: baseModel, base_model_relation: "adapter" } : {}),
    ...(license ? { license } : {}),
    tags: ["hew", "lora", "gguf", "code"],
  };
  const corpus = run.corpus;
  return `${frontMatter(meta)}
# ${repo}

A LoRA adapter (GGUF, \`${adapterFile}\`) that teaches a base model to write
[Hew](https://github.com/hew-lang/hew), an actor-oriented programming language. This is version
**${run.id}** of its training runs.

## Eval

${evalRow ? evalSection(evalRow) : "This version has not been evaluated yet."}

## Versions

${formatRunsMarkdown(rows)}

## Training

${trainingTable(run.training)}
${corpus ? `\nTrained on ${corpus.sampleCount} samples (corpus sha256 \`${corpus.hash}\`)${corpus.systemPromptVersion ? `, rendered with system prompt ${corpus.systemPromptVersion}` : ""}.\n` : ""}
## Use

With llama.cpp's server, next to the base model it was trained on:

\`\`\`sh
llama-server -m ${basename(run.training.config.baseModel)} --lora ${adapterFile}
\`\`\`

Adapter sha256: \`${run.training.adapter.sha256}\`
`;
}
