import { resolve } from "node:path";
import { evalResultsOf } from "../eval/summary.js";
import type { EvalRun, EvalSummary, ModelSpec } from "../schema/eval.js";
import type { RunRecord } from "../schema/run.js";
import { UserError } from "../util/errors.js";
import type { RunRegistry } from "./run-registry.js";

/** The training run whose adapter a local model applies (same file hash, else same path), if any. */
export function adapterRun(records: readonly RunRecord[], model: ModelSpec): RunRecord | undefined {
  if (model.kind !== "gguf") return undefined;
  return records.find(
    (r) => r.kind === "train" && r.training && model.lora.some((l) => (l.sha256 !== undefined && l.sha256 === r.training!.adapter.sha256) || resolve(l.path) === resolve(r.training!.adapter.path)),
  );
}

/** A training run named by the user (`eval --run v7`): it must exist and have an adapter. */
export async function trainingRun(registry: RunRegistry, id: string): Promise<RunRecord & { training: NonNullable<RunRecord["training"]> }> {
  const record = await registry.get(id);
  if (!record) {
    const known = (await registry.list()).filter((r) => r.kind === "train").map((r) => r.id);
    throw new UserError(`no training run ${id} in ${registry.file}${known.length > 0 ? ` (training runs: ${known.join(", ")})` : ""}`);
  }
  if (!record.training) throw new UserError(`${registry.file}: ${id} is an eval run, not a training run; name the run that trained the adapter`);
  return record as RunRecord & { training: NonNullable<RunRecord["training"]> };
}

/** The model a training run produced: its base model with its adapter at scale 1. */
export function modelOfRun(record: RunRecord & { training: NonNullable<RunRecord["training"]> }): ModelSpec {
  const t = record.training;
  return { kind: "gguf", path: t.config.baseModel, lora: [{ path: t.adapter.path, scale: 1, sha256: t.adapter.sha256 }], contextSize: 8192 };
}

/**
 * Record an eval in the registry as its own row: an eval run whose parent is the training run it measured
 * (when there is one), so `runs` and the report show every eval, not only those `train --eval` ran.
 */
export function recordEval(registry: RunRegistry, run: EvalRun, summary: EvalSummary, parent?: string): Promise<RunRecord> {
  return registry.append({
    kind: "eval",
    ...(parent ? { parent } : {}),
    startedAt: run.header.startedAt,
    finishedAt: run.header.finishedAt ?? new Date().toISOString(),
    eval: { ...evalResultsOf(summary), evalRun: summary.runId },
  });
}
