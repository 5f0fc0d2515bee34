import { createRequire } from "node:module";
import type { z } from "zod";
import type { BackendDeviceSchema } from "../../schema/run.js";

const require = createRequire(import.meta.url);

export interface ChatMessage {
  role: string;
  content: string;
}

/** A device ggml registered; `type` follows ggml_backend_dev_type. */
export type BackendDevice = z.infer<typeof BackendDeviceSchema>;

export interface ModelInfo {
  architecture: string;
  vocabSize: number;
  contextLength: number;
  parameters: number;
  eosToken: number;
  /** The end-of-sequence token's text, for templates that write it (`eos_token`). */
  eosText: string;
  /** Transformer blocks; llama.cpp offloads up to layers + 1 (the output layer) to a GPU. */
  layers: number;
  chatTemplate: string | null;
}

export interface NativeModel {
  /** Token ids of `text`; special tokens written in the text (e.g. `<|im_start|>`) are parsed as such. */
  tokenize(text: string, addSpecial: boolean): Int32Array;
  /** The conversation rendered with the model's own chat template, or null when llama.cpp cannot apply it. */
  applyChatTemplate(messages: readonly ChatMessage[], addAssistant: boolean): string | null;
  info(): ModelInfo;
  close(): void;
}

export interface StepOutcome {
  /** Cross-entropy summed over labelled positions, divided by the context length. */
  loss: number;
  /** Positions whose label was not -1. */
  labelled: number;
}

export interface AdapterTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

export interface OptimizerSettings {
  learningRate?: number;
  weightDecay?: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
}

export interface NativeTrainer {
  setOptimizer(settings: OptimizerSettings): void;
  /** One context: `labels[i]` is the token expected after `tokens[i]`, or -1 where no loss is taken. */
  step(tokens: Int32Array, labels: Int32Array, train: boolean): Promise<StepOutcome>;
  /** Write the adapter as GGUF; `metadata` becomes extra string keys. */
  save(path: string, metadata?: Record<string, string>): void;
  tensors(): AdapterTensor[];
  close(): void;
}

export interface TrainerOptions {
  adapterPath: string;
  contextLength: number;
  threads: number;
  optimizer: "adamw" | "sgd";
  gradAccum: number;
}

export interface FreshAdapterOptions {
  rank: number;
  alpha: number;
  /** GGUF projection names, e.g. attn_q, ffn_down. */
  targets: string[];
  seed: number;
}

/** A finite-difference check of one op's backward pass (native/src/grad-check.cpp). */
export interface GradCheckResult {
  op: string;
  variant: number;
  /** Input elements compared. */
  checked: number;
  /** Of them, with a non-zero analytic gradient. */
  nonzero: number;
  /** The worst |analytic - numeric| / max(0.01, |numeric|). */
  maxError: number;
}

export interface Binding {
  Model: new (path: string, options?: { gpuLayers?: number }) => NativeModel;
  Trainer: new (model: NativeModel, options: TrainerOptions) => NativeTrainer;
  writeFreshAdapter(basePath: string, outPath: string, options: FreshAdapterOptions): { name: string; inputs: number; outputs: number }[];
  /** The ops with a gradient check, or one check at shape `variant` (0, 1 or 2). */
  gradCheck(): string[];
  gradCheck(op: string, variant: number): GradCheckResult;
  systemInfo(): string;
  devices(): BackendDevice[];
  setVerbose(verbose: boolean): void;
}

export function loadBinding(addonPath: string): Binding {
  return require(addonPath) as Binding;
}
