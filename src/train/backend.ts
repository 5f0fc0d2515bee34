import type { ChatTemplateUse } from "../schema/run.js";
import type { Backend, TrainConfig } from "../schema/train.js";
import type { BackendDevice } from "./native/binding.js";
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

export interface SkippedSample {
  line: number;
  tokens: number;
  reason: string;
}

export interface EpochLoss {
  epoch: number;
  /** Mean loss per labelled token over the epoch's training steps. */
  train: number;
  /** Mean loss per labelled token on the held-out samples, after the epoch; null without a validation split. */
  validation: number | null;
}

export type TrainingEvent =
  | { type: "build"; message: string; percent?: number; step?: string; quietMs?: number }
  | { type: "prepared"; samples: number; train: number; validation: number; skipped: SkippedSample[]; stepsPerEpoch: number; totalSteps: number; startStep: number }
  | { type: "step"; epoch: number; step: number; totalSteps: number; loss: number; learningRate: number; tokensPerSecond: number; etaSeconds: number }
  | { type: "epoch"; epoch: number; loss: EpochLoss; checkpoint: string };

export interface TrainingResult {
  adapterPath: string;
  losses: EpochLoss[];
  /** Validation loss of the untrained adapter (equal to the base model); null without a validation split. */
  initialValidationLoss: number | null;
  steps: number;
  samples: { total: number; train: number; validation: number; skipped: SkippedSample[] };
  /** Sample tokens (padding excluded) trained per second, over the training steps of this invocation. */
  tokensPerSecond: number;
  /** Context positions (padding included) through forward and backward per second. */
  contextTokensPerSecond: number;
  wallTimeMs: number;
  build: { backend: Backend; flags: string[]; llamaCommit: string; systemInfo: string; devices: BackendDevice[]; offloadedLayers: number };
  chatTemplate: ChatTemplateUse;
  dropout: { requested: number; applied: boolean; note?: string };
  resumedFrom?: { epoch: number; step: number };
}

export interface TrainOptions {
  signal?: AbortSignal;
  onEvent?: (event: TrainingEvent) => void;
}

/** Something that turns a job into a trained adapter; the llama.cpp backend is the one that ships. */
export interface TrainingBackend {
  readonly name: string;
  train(job: TrainingJob, options?: TrainOptions): Promise<TrainingResult>;
}
