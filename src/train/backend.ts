import type { z } from "zod";
import type { EpochLossSchema, SkippedSampleSchema, TrainingOutcome } from "../schema/run.js";
import type { Backend, TrainConfig } from "../schema/train.js";
import type { Conversation } from "./dataset.js";

/** A training run with every path absolute. */
export interface TrainingJob {
  config: TrainConfig;
  conversations: Conversation[];
  /** Holds adapter.gguf and checkpoint/. */
  outputDir: string;
  /** Continue from outputDir/checkpoint when it matches this job. */
  resume: boolean;
  /** Identifies the data and the settings that shape training, so a checkpoint is only resumed by its own job. */
  fingerprint: string;
}

export type SkippedSample = z.infer<typeof SkippedSampleSchema>;
export type EpochLoss = z.infer<typeof EpochLossSchema>;

export type TrainingEvent =
  | { type: "build"; message: string; percent?: number; step?: string; quietMs?: number }
  | { type: "prepared"; samples: number; train: number; validation: number; skipped: SkippedSample[]; stepsPerEpoch: number; totalSteps: number; startStep: number }
  | { type: "step"; epoch: number; step: number; totalSteps: number; loss: number; learningRate: number; tokensPerSecond: number; etaSeconds: number }
  | { type: "epoch"; epoch: number; loss: EpochLoss; checkpoint: string };

/**
 * What a backend returns: the run record's training outcome (src/schema/run.ts) before the registry adds the
 * config and the adapter's hash, with the build it ran on and the sample total.
 */
export type TrainingResult = Omit<TrainingOutcome, "config" | "adapter" | "samples" | "backend"> & {
  adapterPath: string;
  samples: TrainingOutcome["samples"] & { total: number };
  build: Omit<TrainingOutcome["backend"], "name"> & { backend: Backend };
};

export interface TrainOptions {
  signal?: AbortSignal;
  onEvent?: (event: TrainingEvent) => void;
}

/** Something that turns a job into a trained adapter; the llama.cpp backend is the one that ships. */
export interface TrainingBackend {
  readonly name: string;
  train(job: TrainingJob, options?: TrainOptions): Promise<TrainingResult>;
}
