import { availableParallelism } from "node:os";
import { basename, join } from "node:path";
import { mkdir, rm } from "node:fs/promises";
import { GGUF_PROJECTIONS } from "../schema/train.js";
import { UserError, errorMessage } from "../util/errors.js";
import type { EpochLoss, SkippedSample, TrainingEvent, TrainingJob, TrainingResult } from "./backend.js";
import { checkpointAdapter, readCheckpoint, replaceWith, writeCheckpoint } from "./checkpoint.js";
import { chatRenderer, encodeConversation, toContext, type EncodedConversation } from "./dataset.js";
import type { Binding, NativeTrainer } from "./native/binding.js";
import type { NativeAddon } from "./native/build.js";
import { mulberry32, shuffled } from "../util/random.js";
import { learningRateAt } from "./schedule.js";
import { offloadedLayers, trainingDevices } from "./devices.js";

export class TrainingCancelled extends Error {
  override readonly name = "TrainingCancelled";
  constructor() {
    super("training was cancelled");
  }
}

export interface LoopEnvironment {
  binding: Binding;
  addon: NativeAddon;
  emit: (event: TrainingEvent) => void;
  /** Polled between steps: true stops the run, keeping the last checkpoint. */
  cancelled: () => boolean;
}

interface Context {
  tokens: Int32Array;
  labels: Int32Array;
  sampleTokens: number;
}

/** Mean loss per labelled token over contexts, from the per-context losses the trainer reports. */
class LossMeter {
  private sum = 0;
  private labelled = 0;
  add(loss: number, labelled: number, contextLength: number): void {
    this.sum += loss * contextLength;
    this.labelled += labelled;
  }
  get mean(): number {
    return this.labelled === 0 ? 0 : this.sum / this.labelled;
  }
}

async function evaluate(trainer: NativeTrainer, contexts: readonly Context[], contextLength: number, env: LoopEnvironment): Promise<number | null> {
  if (contexts.length === 0) return null;
  const meter = new LossMeter();
  for (const c of contexts) {
    if (env.cancelled()) throw new TrainingCancelled();
    const r = await trainer.step(c.tokens, c.labels, false);
    meter.add(r.loss, r.labelled, contextLength);
  }
  return meter.mean;
}

/**
 * A native call that llama.cpp refuses (a file it cannot load, memory it cannot allocate) throws with llama.cpp's
 * own error log in the message: that is the user's to act on, so it is one line without a stack.
 */
function refused<T>(what: string, call: () => T): T {
  try {
    return call();
  } catch (err) {
    throw new UserError(`${what} failed in llama.cpp: ${errorMessage(err).replace(/\s*\n\s*/g, "; ")}`);
  }
}

/** The whole run, inside the process that loaded the addon: prepare data, train epoch by epoch, save. */
export async function runTraining(job: TrainingJob, env: LoopEnvironment): Promise<TrainingResult> {
  const started = Date.now();
  const { config } = job;
  const ctxLen = config.contextLength;
  const gpuLayers = config.gpuLayers ?? (config.backend === "cpu" ? 0 : 999);
  const devices = trainingDevices(config.backend, env.binding.devices());
  const model = refused("loading the base model", () => new env.binding.Model(config.baseModel, { gpuLayers }));
  let trainer: NativeTrainer | undefined;
  try {
    const info = model.info();
    const pad = info.eosToken >= 0 ? info.eosToken : 0;

    const skipped: SkippedSample[] = [];
    const encoded: EncodedConversation[] = [];
    const renderer = chatRenderer(model);
    for (const conversation of job.conversations) {
      const e = encodeConversation(model, renderer, conversation, config.assistantOnlyLoss);
      if (e.tokens.length > ctxLen) skipped.push({ line: e.line, tokens: e.tokens.length, reason: `longer than contextLength ${ctxLen}` });
      else if (e.labelled === 0) skipped.push({ line: e.line, tokens: e.tokens.length, reason: "no token to learn from" });
      else encoded.push(e);
    }
    if (encoded.length === 0) {
      const shortest = Math.min(...skipped.map((s) => s.tokens));
      throw new UserError(`no sample of ${config.dataset} can be trained on: the shortest has ${shortest} tokens, contextLength is ${ctxLen}`);
    }
    const contexts: Context[] = encoded.map((e) => ({ ...toContext(e, ctxLen, pad), sampleTokens: e.tokens.length }));

    const order = shuffled(contexts, mulberry32(config.seed));
    const nValidation = config.validationSplit > 0 && order.length >= 2 ? Math.max(1, Math.round(order.length * config.validationSplit)) : 0;
    const validation = order.slice(0, nValidation);
    const train = order.slice(nValidation);
    const stepsPerEpoch = Math.ceil(train.length / config.batch);
    const totalSteps = stepsPerEpoch * config.epochs;

    const resumed = job.resume ? await readCheckpoint(job.outputDir, job.fingerprint) : undefined;
    let step = resumed?.step ?? 0;
    const losses: EpochLoss[] = resumed ? [...resumed.losses] : [];
    env.emit({ type: "prepared", samples: job.conversations.length, train: train.length, validation: validation.length, skipped, stepsPerEpoch, totalSteps, startStep: step });

    const freshAdapter = join(job.outputDir, `.fresh-adapter-${process.pid}.gguf`);
    if (!resumed) {
      await mkdir(job.outputDir, { recursive: true });
      const targets = config.lora.targetModules.map((m) => GGUF_PROJECTIONS[m]);
      refused("writing the fresh adapter", () => env.binding.writeFreshAdapter(config.baseModel, freshAdapter, { rank: config.lora.rank, alpha: config.lora.alpha, targets, seed: config.seed }));
    }
    try {
      trainer = refused("setting up training", () => new env.binding.Trainer(model, {
        adapterPath: resumed ? checkpointAdapter(job.outputDir) : freshAdapter,
        contextLength: ctxLen,
        threads: config.threads ?? availableParallelism(),
        optimizer: config.optimizer,
        gradAccum: config.batch,
      }));
    } finally {
      await rm(freshAdapter, { force: true });
    }
    trainer.setOptimizer({ weightDecay: config.weightDecay });

    const initialValidationLoss = resumed ? resumed.initialValidationLoss : await evaluate(trainer, validation, ctxLen, env);
    const masked = { tokens: new Int32Array(ctxLen).fill(pad), labels: new Int32Array(ctxLen).fill(-1), sampleTokens: 0 };
    let trainMs = 0;
    let sampleTokens = 0;
    let contextTokens = 0;

    for (let epoch = resumed?.epochsDone ?? 0; epoch < config.epochs; epoch++) {
      const meter = new LossMeter();
      const batches: Context[][] = [];
      shuffled(train, mulberry32(config.seed + 1 + epoch)).forEach((c, i) => {
        if (i % config.batch === 0) batches.push([]);
        batches.at(-1)!.push(c);
      });
      for (const batch of batches) {
        const learningRate = learningRateAt(step, totalSteps, config);
        trainer.setOptimizer({ learningRate });
        const stepMeter = new LossMeter();
        const t0 = performance.now();
        // a short last batch is completed with contexts that carry no label: they add no gradient, and the
        // optimizer steps exactly once per batch
        for (let i = 0; i < config.batch; i++) {
          if (env.cancelled()) throw new TrainingCancelled();
          const c = batch[i] ?? masked;
          const r = await trainer.step(c.tokens, c.labels, true);
          meter.add(r.loss, r.labelled, ctxLen);
          stepMeter.add(r.loss, r.labelled, ctxLen);
          sampleTokens += c.sampleTokens;
        }
        trainMs += performance.now() - t0;
        contextTokens += config.batch * ctxLen;
        step++;
        const msPerStep = trainMs / (step - (resumed?.step ?? 0));
        env.emit({
          type: "step",
          epoch: epoch + 1,
          step,
          totalSteps,
          loss: stepMeter.mean,
          learningRate,
          tokensPerSecond: (sampleTokens * 1000) / trainMs,
          etaSeconds: ((totalSteps - step) * msPerStep) / 1000,
        });
      }
      const loss: EpochLoss = { epoch: epoch + 1, train: meter.mean, validation: await evaluate(trainer, validation, ctxLen, env) };
      losses.push(loss);
      const t = trainer;
      await writeCheckpoint(job.outputDir, { version: 1, fingerprint: job.fingerprint, epochsDone: epoch + 1, step, losses, initialValidationLoss }, (path) => t.save(path));
      env.emit({ type: "epoch", epoch: epoch + 1, loss, checkpoint: checkpointAdapter(job.outputDir) });
    }

    const adapterPath = join(job.outputDir, "adapter.gguf");
    const t = trainer;
    await replaceWith(adapterPath, (path) =>
      t.save(path, {
        "training.base_model": basename(config.baseModel),
        "training.lora.rank": String(config.lora.rank),
        "training.epochs": String(config.epochs),
        "training.fingerprint": job.fingerprint,
      }),
    );
    const dropout = config.lora.dropout;
    return {
      adapterPath,
      losses,
      initialValidationLoss,
      steps: step,
      samples: { total: job.conversations.length, train: train.length, validation: validation.length, skipped },
      tokensPerSecond: trainMs > 0 ? (sampleTokens * 1000) / trainMs : 0,
      contextTokensPerSecond: trainMs > 0 ? (contextTokens * 1000) / trainMs : 0,
      wallTimeMs: Date.now() - started,
      build: {
        backend: config.backend,
        flags: env.addon.flags,
        llamaCommit: env.addon.llamaCommit,
        systemInfo: env.binding.systemInfo(),
        devices,
        offloadedLayers: offloadedLayers(config.backend, gpuLayers, info.layers),
      },
      chatTemplate: { source: renderer.source, ...(renderer.templateSha256 ? { templateSha256: renderer.templateSha256 } : {}), ...(renderer.note ? { note: renderer.note } : {}) },
      dropout:
        dropout > 0
          ? { requested: dropout, applied: false, note: `llama.cpp's LoRA graph has no dropout: the requested dropout ${dropout} was not applied` }
          : { requested: 0, applied: true },
      ...(resumed ? { resumedFrom: { epoch: resumed.epochsDone, step: resumed.step } } : {}),
    };
  } finally {
    trainer?.close();
    model.close();
  }
}
