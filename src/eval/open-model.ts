import { createReadStream } from "node:fs";
import { createHash } from "node:crypto";
import type { EvalConfig, ModelSpec, ServerLora } from "../schema/eval.js";
import { UserError, errorMessage } from "../util/errors.js";
import { httpModelClient } from "./http-client.js";
import type { ModelClient } from "./model-client.js";

export interface OpenModelOptions {
  sampling: EvalConfig["sampling"];
  concurrency: number;
  timeoutMs: number;
  retries: number;
  /** Bearer token for the HTTP server. */
  apiKey?: string;
  /** The server's whole adapter list to send (see explicitLora); default: the spec's selection as is. */
  serverLora?: readonly ServerLora[];
  /** Largest response body read from the server, decompressed. */
  maxResponseBytes?: number;
  /** Answers one request may ask for (the server's `n`); default 1. */
  maxChoices?: number;
}

/** The client for a model spec: an HTTP server, or a GGUF file loaded here. */
export async function openModel(spec: ModelSpec, options: OpenModelOptions): Promise<ModelClient> {
  if (spec.kind === "http") {
    return httpModelClient({
      url: spec.url,
      model: spec.model,
      lora: options.serverLora ?? spec.lora,
      sampling: options.sampling,
      apiKey: options.apiKey,
      timeoutMs: options.timeoutMs,
      retries: options.retries,
      maxResponseBytes: options.maxResponseBytes,
      maxChoices: options.maxChoices,
    });
  }
  const { llamaCppModelClient } = await import("./llama-cpp-client.js");
  return llamaCppModelClient({
    modelPath: spec.path,
    lora: spec.lora,
    sampling: options.sampling,
    contextSize: spec.contextSize,
    parallel: options.concurrency,
    threads: spec.threads,
  });
}

async function fileSha256(file: string): Promise<string> {
  const hash = createHash("sha256");
  try {
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  } catch (err) {
    throw new UserError(`${file}: cannot read the LoRA adapter: ${errorMessage(err)}`);
  }
  return hash.digest("hex");
}

/** The spec with each LoRA adapter file's hash filled in, so a saved run names the exact weights it measured. */
export async function withAdapterHashes(spec: ModelSpec): Promise<ModelSpec> {
  if (spec.kind !== "gguf") return spec;
  return { ...spec, lora: await Promise.all(spec.lora.map(async (l) => ({ ...l, sha256: await fileSha256(l.path) }))) };
}
