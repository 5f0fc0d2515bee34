import { setTimeout as sleep } from "node:timers/promises";
import type { Message } from "../schema/sample.js";
import { AbortError } from "../util/abort.js";

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

/** One try of a request: its answer, or why it failed and how long the server asked us to wait. */
export type RequestAttempt<T> = T | { error: ModelRequestError; waitMs?: number };

export interface RetryPolicy {
  /** Tries after the first. */
  retries: number;
  /** The first backoff; each later one doubles, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
}

function isFailure<T>(result: RequestAttempt<T>): result is { error: ModelRequestError; waitMs?: number } {
  return typeof result === "object" && result !== null && "error" in result && result.error instanceof ModelRequestError;
}

/**
 * Try a request until it answers, fails for good (not retryable) or runs out of retries, backing off
 * exponentially between tries (longer when the server's Retry-After says so). Shared by every HTTP model client.
 */
export async function withRetries<T extends object>(attempt: (attempts: number) => Promise<RequestAttempt<T>>, policy: RetryPolicy, signal?: AbortSignal): Promise<T> {
  for (let attempts = 1; ; attempts++) {
    if (signal?.aborted) throw new AbortError();
    const result = await attempt(attempts);
    if (!isFailure(result)) return result;
    if (!result.error.retryable || attempts > policy.retries) throw result.error;
    const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempts - 1));
    try {
      await sleep(Math.min(policy.maxDelayMs, Math.max(backoff, result.waitMs ?? 0)), undefined, { signal });
    } catch {
      throw new AbortError();
    }
  }
}
