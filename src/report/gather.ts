import { loadCorpus } from "../chatml/load-corpus.js";
import type { LoadedConfig } from "../config.js";
import type { Message } from "../schema/sample.js";
import type { RunRegistry } from "../train/run-registry.js";
import { formatCheckerId, type Checker } from "../validate/checker.js";
import { summarize } from "../validate/report.js";
import { validateSamples } from "../validate/validate-samples.js";
import { histogram, type CompositionCell, type ReportData } from "./report-data.js";
import { runRows } from "./run-rows.js";

/** Counts the tokens of a conversation as the target model sees it (its tokenizer and chat template). */
export interface TokenCounter {
  name: string;
  count(messages: readonly Message[]): number;
}

export interface GatherOptions {
  loaded: LoadedConfig;
  registry: RunRegistry;
  /** Answers from the verdict lock and cache first, as `validate` does. */
  checker: Checker;
  /** Without one, the report leaves out the token-length histogram. */
  tokens?: TokenCounter;
  title?: string;
  signal?: AbortSignal;
  now?: Date;
}

/** Read the registry, load and validate the corpus, and reduce both to what the report draws. */
export async function gatherReportData(options: GatherOptions): Promise<ReportData> {
  const { loaded, registry } = options;
  const runs = runRows(await registry.list());
  const samples = await loadCorpus(loaded.config.corpus, { cwd: loaded.root });
  const results = await validateSamples(samples, options.checker, { signal: options.signal });
  const funnel = summarize(results);

  const cells = new Map<string, CompositionCell>();
  for (const { sample } of samples) {
    const key = `${sample.meta.category}\0${sample.meta.source}`;
    const cell = cells.get(key) ?? { category: sample.meta.category, source: sample.meta.source, samples: 0 };
    cell.samples++;
    cells.set(key, cell);
  }

  const withCode = results.filter((r) => r.blocks.length > 0);
  const lengths = options.tokens ? samples.map((s) => options.tokens!.count(s.sample.messages)) : [];
  return {
    title: options.title ?? "hew-corpus report",
    generatedAt: (options.now ?? new Date()).toISOString(),
    runs,
    composition: [...cells.values()],
    funnel: [
      { step: "loaded", samples: samples.length },
      { step: "with Hew code", samples: withCode.length },
      { step: "every block checked", samples: withCode.filter((r) => r.blocks.every((b) => b.verdict && b.verdict.status !== "checker-error")).length },
      { step: "every block passes", samples: results.filter((r) => r.valid).length },
    ],
    ...(options.tokens ? { tokenLengths: { tokenizer: options.tokens.name, bins: histogram(lengths), max: lengths.reduce((a, b) => Math.max(a, b), 0) } } : {}),
    checkers: [...new Set(funnel.checkers.map((c) => formatCheckerId(c.checker)))],
  };
}
