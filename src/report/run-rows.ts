import type { EvalResults, RunRecord } from "../schema/run.js";
import type { TrainConfig } from "../schema/train.js";

/** One version as the table, the report and the model card show it. */
export interface RunRow {
  id: string;
  /** `v12`, or `v12 (eval of v11)` for an eval run of an earlier training run. */
  label: string;
  samples?: number;
  config?: string;
  systemPromptVersion?: string;
  eval?: EvalResults;
  /** Prompts passed and asked, summed over the categories. */
  passed?: number;
  total?: number;
}

/** The training settings that tell versions apart, in a few words: `r16 α32, 2 epochs, lr 2e-4`. */
export function describeTrainConfig(config: TrainConfig): string {
  const epochs = `${config.epochs} epoch${config.epochs === 1 ? "" : "s"}`;
  return `r${config.lora.rank} α${config.lora.alpha}, ${epochs}, lr ${config.learningRate.toExponential()}`;
}

/**
 * One row per run, in registry order. An eval run borrows the samples and config of the training run it
 * measured, so that every row with a pass rate says what produced it.
 */
export function runRows(records: readonly RunRecord[]): RunRow[] {
  const byId = new Map(records.map((r) => [r.id, r]));
  return records.map((record) => {
    const source = record.kind === "eval" && record.parent ? (byId.get(record.parent) ?? record) : record;
    const categories = Object.values(record.eval?.perCategory ?? {});
    const counted = categories.length > 0;
    return {
      id: record.id,
      label: source === record ? record.id : `${record.id} (eval of ${source.id})`,
      samples: source.corpus?.sampleCount,
      config: source.training ? describeTrainConfig(source.training.config) : record.kind === "eval" ? record.eval?.model : undefined,
      systemPromptVersion: source.corpus?.systemPromptVersion,
      eval: record.eval,
      passed: counted ? categories.reduce((n, c) => n + c.passed, 0) : undefined,
      total: counted ? categories.reduce((n, c) => n + c.total, 0) : undefined,
    };
  });
}

export function formatPercent(rate: number): string {
  return `${(rate * 100).toFixed(0)}%`;
}

/** `80% (31/39)` */
export function formatPassRate(row: RunRow): string {
  if (!row.eval) return "not evaluated";
  const counts = row.total !== undefined ? ` (${row.passed}/${row.total})` : "";
  return `${formatPercent(row.eval.passRate)}${counts}`;
}

/** `67–89%` */
export function formatInterval(row: RunRow): string {
  const i = row.eval?.interval;
  return i ? `${(i.low * 100).toFixed(0)}–${formatPercent(i.high)}` : "";
}
