import type { Message } from "../schema/sample.js";

export interface GenerateOptions {
  /** Sampling seed of this one answer. */
  seed: number;
  signal?: AbortSignal;
}

/** What the server said it spent on one answer (llama-server's `timings`). */
export interface ServerTimings {
  promptMs: number;
  predictedMs: number;
  promptTokens?: number;
  predictedTokens?: number;
}

export interface Completion {
  /** The answer text, as the model wrote it. */
  content: string;
  /** Reasoning the model produced apart from the answer (a server's `reasoning_content`, a chat wrapper's thoughts). */
  reasoning?: string;
  /** Why generation stopped: `stop`, `length` (ran out of tokens), ... */
  finishReason: string | null;
  completionTokens?: number;
  /** Tokens of the prompt, as the server counted them. */
  promptTokens?: number;
  timings?: ServerTimings;
  /** From sending the request that answered to its last byte (no queueing, no earlier tries). */
  requestMs?: number;
  /** Requests it took, retries included. */
  attempts: number;
}

/** A model that answers chat messages: a server over HTTP, or a GGUF file loaded in this process. */
export interface ModelClient {
  complete(messages: readonly Message[], options: GenerateOptions): Promise<Completion>;
  /**
   * Several answers in one request (a server's `n`), at most `choicesPerRequest` of them; answer i is
   * sampled with seed + i, as `complete` with that seed would (llama-server seeds its n-th choice so).
   * Absent: ask `complete` once per answer.
   */
  completeMany?(messages: readonly Message[], options: GenerateOptions & { n: number }): Promise<Completion[]>;
  choicesPerRequest?: number;
  /** Free the model (weights, contexts, sockets). */
  close(): Promise<void>;
}

/** The model could not answer (after any retries). `attempts` says how many requests were made. */
export class ModelRequestError extends Error {
  override readonly name = "ModelRequestError";
  constructor(
    message: string,
    readonly attempts: number,
    /** Worth trying again later: a 5xx, a 429, a timeout or a failed connection. */
    readonly retryable: boolean,
  ) {
    super(message);
  }
}
