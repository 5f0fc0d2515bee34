import { EXPORT_FILES } from "../export/write.js";
import { frontMatter, markdownTable } from "../report/markdown.js";
import type { CompositionCell } from "../report/report-data.js";
import type { ExportManifest } from "../schema/export.js";
import { EVAL_CATEGORIES } from "../schema/sample.js";

export interface DatasetCardInput {
  repo: string;
  manifest: ExportManifest;
  composition: readonly CompositionCell[];
  /** An SPDX id for the card's metadata; left out when not given. */
  license?: string;
}

/** The Hub's size buckets for dataset metadata. */
function sizeCategory(n: number): string {
  if (n < 1_000) return "n<1K";
  if (n < 10_000) return "1K<n<10K";
  if (n < 100_000) return "10K<n<100K";
  return "100K<n<1M";
}

function compositionTable(cells: readonly CompositionCell[]): string {
  const sources = [...new Set(cells.map((c) => c.source))].sort();
  const known: readonly string[] = EVAL_CATEGORIES;
  const categories = [...new Set(cells.map((c) => c.category))].sort((a, b) => (known.indexOf(a) + 1 || 99) - (known.indexOf(b) + 1 || 99) || a.localeCompare(b));
  const count = (category: string, source?: string) =>
    cells.filter((c) => c.category === category && (source === undefined || c.source === source)).reduce((n, c) => n + c.samples, 0);
  const rows = categories.map((cat) => [cat, ...sources.map((s) => String(count(cat, s))), String(count(cat))]);
  const totals = ["**total**", ...sources.map((s) => String(cells.filter((c) => c.source === s).reduce((n, c) => n + c.samples, 0))), String(cells.reduce((n, c) => n + c.samples, 0))];
  return markdownTable(["Category", ...sources, "Total"], [...rows, totals], sources.map((_, i) => i + 1).concat(sources.length + 1));
}

/** The dataset card (README.md): what is in the training set, how every sample was checked, and with what. */
export function renderDatasetCard({ repo, manifest, composition, license }: DatasetCardInput): string {
  const { funnel, dropped, compilers, systemPrompt, tokenizer, tokens } = manifest;
  const messages = manifest.files.find((f) => f.format === "messages");
  const meta = {
    pretty_name: repo.split("/")[1],
    ...(license ? { license } : {}),
    language: ["en"],
    task_categories: ["text-generation"],
    tags: ["hew", "code", "compiler-validated", "fine-tuning", "chatml"],
    size_categories: [sizeCategory(funnel.exported)],
    ...(messages ? { configs: [{ config_name: "default", data_files: [{ split: "train", path: messages.path }] }] } : {}),
  };
  const compilerLines = compilers.map((c) => `- \`${c.name} ${c.version}\`: ${c.blocks} code blocks${c.name === "hew" ? "" : " (not the hew compiler)"}`);
  const files = markdownTable(
    ["File", "Format", "Samples", "sha256"],
    manifest.files.map((f) => [f.path, f.format === "messages" ? "messages JSONL (Axolotl, TRL)" : "ChatML text", String(f.samples), `\`${f.sha256}\``]),
    [2],
  );
  const n = (reason: keyof ExportManifest["dropped"]) => dropped[reason].count;
  const funnelTable = markdownTable(
    ["Step", "Samples left", "Dropped because"],
    [
      ["loaded", String(funnel.loaded), ""],
      ["every Hew block passes `hew check`", String(funnel.valid), `no code ${n("no-code")}, fail ${n("fail")}, checker-error ${n("checker-error")}, unchecked ${n("unchecked")}`],
      ["not a duplicate (exact and MinHash near-duplicates)", String(funnel.unique), `duplicate ${n("duplicate")}`],
      ["leaks no eval prompt", String(funnel.clean), `contaminated ${n("contaminated")}`],
      [`within ${tokenizer.maxSeqLen} tokens`, String(funnel.withinBudget), `over budget ${n("over-budget")}`],
      ["exported", String(funnel.exported), ""],
    ],
    [1],
  );
  return `${frontMatter(meta)}
# ${repo}

Fine-tuning conversations that teach a model to write [Hew](https://github.com/hew-lang/hew), an
actor-oriented programming language: ${funnel.exported} samples. Every Hew code block in every sample
passed the Hew compiler's checker (\`hew check\`) before it was admitted.

## Files

${files}

\`manifest.json\` records everything below, including each dropped sample and why. ${messages ? `\`${EXPORT_FILES.messages}\` has one \`{"messages": [...]}\` conversation per line; the system prompt is the first message.` : ""}

## Composition

Samples by category (the twelve areas of the eval set, and \`general\`) and by source.

${compositionTable(composition)}

## How it was validated

Code blocks were checked with:

${compilerLines.join("\n")}

${funnelTable}

A sample is left out, never repaired or truncated, when any of its code blocks fails the checker, when the
checker crashed or was not available, when it duplicates another sample, when it shares a long exact token
run or a near copy with an eval prompt or its reference solution, or when it is longer than the token budget.

## System prompt

Every sample starts with system prompt **${systemPrompt.id}** (sha256 \`${systemPrompt.sha256}\`). Token counts
use ${tokenizer.name} through the model's chat template (sha256 \`${tokenizer.chatTemplateSha256}\`):
${tokens.total} tokens in all, ${tokens.max} in the longest sample.

## Provenance

- corpus sha256: \`${manifest.corpusHash}\`
- written by ${manifest.tool}${manifest.shuffle ? `, shuffled with seed ${manifest.seed}` : ", in corpus order"}
`;
}
