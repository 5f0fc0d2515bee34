import type { Command } from "commander";
import { resolve } from "node:path";
import { loadConfig, type LoadedConfig } from "../config.js";
import { evaluateModel } from "../eval/evaluate.js";
import { openChecker } from "../validate/open-checker.js";
import { formatEvalSummary } from "../eval/report.js";
import { evalResultsOf } from "../eval/summary.js";
import type { EvalResults, RunRecord, TrainingOutcome } from "../schema/run.js";
import type { TrainingEvent } from "../train/backend.js";
import { LlamaCppBackend } from "../train/llama-backend.js";
import { trainRun } from "../train/train-run.js";
import { createProgress } from "./progress.js";
import { interruptSignal, runCommand } from "./run-command.js";
import { HEW_OPTION, REGISTRY_OPTION } from "./options.js";

interface TrainFlags {
  config: string;
  resume?: boolean;
  eval?: boolean;
  hew?: string;
  registry?: string;
  json?: boolean;
  verbose?: boolean;
}

function summary(record: RunRecord): string {
  const t = record.training!;
  const lines = [`run ${record.id}: adapter ${t.adapter.path}`, `  sha256 ${t.adapter.sha256}`];
  if (t.initialValidationLoss !== null) lines.push(`  validation loss before training: ${t.initialValidationLoss.toFixed(4)}`);
  for (const l of t.losses) lines.push(`  epoch ${l.epoch}: train loss ${l.train.toFixed(4)}${l.validation === null ? "" : `, validation loss ${l.validation.toFixed(4)}`}`);
  lines.push(`  ${t.steps} steps, ${t.tokensPerSecond.toFixed(0)} tokens/s, ${(t.wallTimeMs / 1000).toFixed(1)} s, backend ${t.backend.name}${onDevices(t.backend)}`);
  if (t.samples.skipped.length > 0) lines.push(`  skipped ${t.samples.skipped.length} samples (see the run record)`);
  if (!t.dropout.applied) lines.push(`  note: ${t.dropout.note}`);
  return lines.join("\n");
}

function onDevices(backend: TrainingOutcome["backend"]): string {
  const gpus = (backend.devices ?? []).filter((d) => d.type !== "cpu");
  if (backend.name === "cpu" || gpus.length === 0) return "";
  return ` on ${gpus.map((d) => d.description).join(", ")}, ${backend.offloadedLayers ?? 0} layers offloaded`;
}

/** Step progress as a bar; the build and skipped samples as plain lines, since they matter after the run too. */
function reporter(): { onEvent: (e: TrainingEvent) => void; stop: () => void } {
  const bar = createProgress("train");
  let lastBuildPercent = -1;
  return {
    onEvent(e) {
      switch (e.type) {
        case "build":
          if (e.percent === undefined) process.stderr.write(`hew-corpus: ${e.message}\n`);
          else if (e.quietMs !== undefined) {
            process.stderr.write(`hew-corpus: still compiling${e.step ? ` ${e.step}` : ""} (${Math.round(e.quietMs / 60_000)} min on this step; some files take many minutes)\n`);
          } else if (e.percent >= lastBuildPercent + 10 || e.percent === 100) {
            lastBuildPercent = e.percent;
            process.stderr.write(`hew-corpus: compiling the training backend: ${e.percent}%\n`);
          }
          break;
        case "prepared":
          for (const s of e.skipped) process.stderr.write(`hew-corpus: skipped dataset line ${s.line} (${s.tokens} tokens): ${s.reason}\n`);
          process.stderr.write(`hew-corpus: ${e.train} training and ${e.validation} validation samples, ${e.totalSteps} steps${e.startStep > 0 ? `, resuming after step ${e.startStep}` : ""}\n`);
          break;
        case "step":
          bar.update(e.step, e.totalSteps);
          break;
        case "epoch":
          bar.stop();
          process.stderr.write(`hew-corpus: epoch ${e.epoch}: train loss ${e.loss.train.toFixed(4)}${e.loss.validation === null ? "" : `, validation loss ${e.loss.validation.toFixed(4)}`}; checkpoint ${e.checkpoint}\n`);
          break;
      }
    },
    stop: () => bar.stop(),
  };
}

async function assertCheckerAvailable(loaded: LoadedConfig, hew: string | undefined): Promise<void> {
  const { checker } = await openChecker(loaded, { hew, cache: false, lock: false });
  try {
    await checker.identify();
  } finally {
    await checker.close?.();
  }
}

/** `train --eval`: the base model with the new adapter, through the same eval as `hew-corpus eval`. */
async function evaluateAdapter(record: RunRecord, loaded: LoadedConfig, flags: TrainFlags, signal: AbortSignal): Promise<EvalResults> {
  const t = record.training!;
  process.stderr.write(`hew-corpus: evaluating ${record.id}: ${t.config.baseModel} with ${t.adapter.path}\n`);
  const bar = createProgress("eval", undefined, 10);
  // The config's local eval model lends its context size and threads; the run's own threads come next.
  const local = loaded.config.eval.model?.kind === "gguf" ? loaded.config.eval.model : undefined;
  const threads = local?.threads ?? t.config.threads;
  try {
    const { summary, file } = await evaluateModel({
      config: loaded,
      model: {
        kind: "gguf",
        path: t.config.baseModel,
        lora: [{ path: t.adapter.path, scale: 1 }],
        ...(local ? { contextSize: local.contextSize } : {}),
        ...(threads === undefined ? {} : { threads }),
      },
      hew: flags.hew,
      signal,
      onProgress: ({ done, total }) => bar.update(done, total),
    });
    bar.stop();
    if (!flags.json) process.stdout.write(formatEvalSummary(summary) + "\n");
    if (file) process.stderr.write(`hew-corpus: eval run saved to ${file}\n`);
    return { ...evalResultsOf(summary), evalRun: summary.runId };
  } finally {
    bar.stop();
  }
}

export function registerTrain(program: Command): void {
  program
    .command("train")
    .description("train a LoRA adapter with llama.cpp and record the run in the run registry")
    .requiredOption("--config <file>", "the run config (run.yaml)")
    .option("--resume", "continue from the checkpoint in the output folder")
    .option("--eval", "then evaluate the base model with the new adapter on the eval prompts and store the results in the run record")
    .option(...HEW_OPTION)
    .option(REGISTRY_OPTION[0], "run registry (default: run.yaml's registry, else runs/registry.jsonl beside hew-corpus.config.yaml)")
    .option("--json", "print the run record as JSON on stdout")
    .option("--verbose", "show llama.cpp's own log")
    .action((flags: TrainFlags) =>
      runCommand(async () => {
        const cwd = process.cwd();
        const loaded = await loadConfig(cwd);
        // Hours of training must not end in "no compiler to judge the answers": ask before starting.
        if (flags.eval) await assertCheckerAvailable(loaded, flags.hew);
        const signal = interruptSignal();
        const progress = reporter();
        try {
          const record = await trainRun({
            configFile: resolve(cwd, flags.config),
            resume: flags.resume,
            registry: flags.registry && resolve(cwd, flags.registry),
            defaultRoot: loaded.root,
            backend: new LlamaCppBackend({ verbose: flags.verbose }),
            signal,
            onEvent: progress.onEvent,
            evaluate: flags.eval ? (record) => evaluateAdapter(record, loaded, flags, signal) : undefined,
          });
          progress.stop();
          process.stdout.write(flags.json ? JSON.stringify(record, null, 2) + "\n" : summary(record) + "\n");
        } finally {
          progress.stop();
        }
      }),
    );
}
