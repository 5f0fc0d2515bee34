import { z } from "zod";
import type { Sampling, ServerLora } from "../schema/eval.js";
import type { Message } from "../schema/sample.js";
import { errorMessage } from "../util/errors.js";
import { redactSecret } from "../util/redact.js";
import { AbortError } from "../validate/run-process.js";
import { readBoundedText } from "./http-body.js";
import { ModelRequestError, withRetries, type Completion, type GenerateOptions, type ModelClient } from "./model-client.js";

/** Largest response body read, after decompression: far above any answer within max tokens, far below harm. */
export const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

export interface HttpClientOptions {
  /** Server root or its `/v1`: `http://127.0.0.1:8080`, `http://localhost:11434/v1`. */
  url: string;
  model: string;
  /**
   * Adapters chosen per request (llama-server's `lora` field). llama-server applies every adapter it loaded
   * to a request that names none, so to measure the base send each adapter at scale 0.
   */
  lora?: readonly ServerLora[];
  sampling: Pick<Sampling, "temperature" | "topP" | "maxTokens">;
  /** Sent as a bearer token (vLLM and hosted gateways want one). */
  apiKey?: string;
  /** Per request, from when it is sent, covering the whole answer. */
  timeoutMs: number;
  /** Further tries after what can change on its own: a 429, 502, 503, 504, a timeout or a failed connection. */
  retries: number;
  /** First wait before a retry; it doubles each time, up to `maxRetryDelayMs`. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** Largest response body read, decoded (default 4 MiB); a larger one is that answer's model error. */
  maxResponseBytes?: number;
  /** Answers one request may ask for (llama-server's `n`, at most its slots); 1 or absent asks one answer per request. */
  maxChoices?: number;
}

const ResponseSchema = z.looseObject({
  choices: z
    .array(
      z.looseObject({
        index: z.number().int().nonnegative().optional(),
        message: z.looseObject({
          content: z.string().nullish(),
          reasoning_content: z.string().nullish(),
        }),
        finish_reason: z.string().nullish(),
      }),
    )
    .min(1),
  usage: z.looseObject({ completion_tokens: z.number().int().nonnegative(), prompt_tokens: z.number().int().nonnegative().optional() }).nullish(),
  timings: z.looseObject({ prompt_ms: z.number(), predicted_ms: z.number(), prompt_n: z.number().int().optional(), predicted_n: z.number().int().optional() }).nullish(),
});

/** `http://host:port/v1` -> `http://host:port`: where llama-server's own routes (`/props`, `/lora-adapters`) live. */
export function serverRoot(base: string): string {
  return base.replace(/\/+$/, "").replace(/\/v1$/, "");
}

/** Where chat completions live under a base URL that may or may not already end in `/v1`. */
export function chatCompletionsUrl(base: string): string {
  return `${serverRoot(base)}/v1/chat/completions`;
}

export const BODY_EXCERPT = 300;
/** Statuses a later try can change: rate limits, gateways, a server still loading. A plain 500 is the model's answer. */
const RETRYABLE_STATUS = new Set([408, 429, 502, 503, 504]);
const MAX_REDIRECTS = 5;

export function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

/** How a failed connection reads to a person: `ECONNREFUSED`, not undici's bare "fetch failed". */
export function connectionFailure(err: unknown): string {
  const cause = err instanceof Error ? (err.cause as { code?: string; message?: string } | undefined) : undefined;
  return cause?.code ?? cause?.message ?? errorMessage(err);
}

/** The server's own words from an error body: OpenAI's `error.message` when it is JSON, else the text. */
function serverMessage(text: string): string {
  try {
    const json = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    const message = typeof json.error === "string" ? json.error : (json.error?.message ?? json.message);
    if (typeof message === "string") return message;
  } catch {
    // not JSON: the text itself
  }
  return text.trim();
}

export interface FetchedBody {
  status: number;
  headers: Headers;
  /** Undefined when the body was larger than the limit. */
  text?: string;
  bytes?: number;
  /** The URL that answered (after same-origin redirects). */
  url: string;
}

/**
 * One HTTP exchange with a model server: redirects followed only within the server's origin (another host's
 * answers must not be scored under this server's name), the body bounded, the timeout covering the whole
 * body. Throws what fetch throws.
 */
export async function fetchBounded(url: string, init: RequestInit & { maxBytes: number }): Promise<FetchedBody> {
  let current = url;
  for (let hops = 0; ; hops++) {
    const res = await fetch(current, { ...init, redirect: "manual" });
    const location = res.headers.get("location");
    if (res.status >= 300 && res.status < 400 && location) {
      await res.body?.cancel().catch(() => {});
      const next = new URL(location, current);
      if (next.origin !== new URL(url).origin) throw new CrossOriginRedirect(url, next.href);
      if (hops >= MAX_REDIRECTS) throw new CrossOriginRedirect(url, next.href, `more than ${MAX_REDIRECTS} redirects`);
      current = next.href;
      continue;
    }
    const body = await readBoundedText(res, init.maxBytes);
    return { status: res.status, headers: res.headers, url: current, ...(body.over ? { bytes: body.bytes } : { text: body.text }) };
  }
}

export class CrossOriginRedirect extends Error {
  constructor(
    readonly from: string,
    readonly to: string,
    why = "another origin; its answers would be scored as this server's",
  ) {
    super(`${from} redirected to ${to}: not followed (${why})`);
  }
}

/** An OpenAI-compatible chat-completions client (llama-server, vLLM, Ollama) with timeouts, bounded retries and bounded bodies. */
export function httpModelClient(options: HttpClientOptions): ModelClient {
  const endpoint = chatCompletionsUrl(options.url);
  const baseDelay = options.retryDelayMs ?? 1000;
  const maxDelay = options.maxRetryDelayMs ?? 30_000;
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
  // A server's words may echo the request back, headers included; the key never reaches a message or a run file.
  const clean = (text: string) => redactSecret(text, options.apiKey);

  const body = (messages: readonly Message[], seed: number, n: number) =>
    JSON.stringify({
      model: options.model,
      messages,
      temperature: options.sampling.temperature,
      ...(options.sampling.topP === undefined ? {} : { top_p: options.sampling.topP }),
      max_tokens: options.sampling.maxTokens,
      seed,
      ...(n > 1 ? { n } : {}),
      stream: false,
      ...(options.lora && options.lora.length > 0 ? { lora: options.lora } : {}),
    });

  type Attempt = Completion[] | { error: ModelRequestError; waitMs?: number };

  /** One request: completions, or a ModelRequestError that says whether trying again could help. */
  async function attempt(payload: string, n: number, attempts: number, signal?: AbortSignal): Promise<Attempt> {
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const fail = (message: string, retryable: boolean, waitMs?: number) => ({ error: new ModelRequestError(clean(message), attempts, retryable), waitMs });
    const sent = performance.now();
    let res: FetchedBody;
    try {
      res = await fetchBounded(endpoint, { method: "POST", headers, body: payload, signal: signal ? AbortSignal.any([signal, timeout]) : timeout, maxBytes });
    } catch (err) {
      if (signal?.aborted) throw new AbortError();
      if (err instanceof CrossOriginRedirect) return fail(err.message, false);
      if (timeout.aborted) return fail(`no answer from ${endpoint} within ${options.timeoutMs} ms`, true);
      return fail(`cannot reach ${endpoint}: ${connectionFailure(err)}`, true);
    }
    const requestMs = performance.now() - sent;
    if (res.text === undefined) return fail(`${endpoint} answered with over ${maxBytes} bytes (read ${res.bytes} before stopping); not stored`, false);
    if (res.status < 200 || res.status > 299) {
      const excerpt = serverMessage(res.text).slice(0, BODY_EXCERPT);
      return fail(`HTTP ${res.status} from ${endpoint}${excerpt ? `: ${excerpt}` : ""}`, RETRYABLE_STATUS.has(res.status), retryAfterMs(res.headers.get("retry-after")));
    }
    let json: unknown;
    try {
      json = JSON.parse(res.text);
    } catch {
      return fail(`${endpoint} answered with something other than JSON: ${res.text.slice(0, BODY_EXCERPT)}`, false);
    }
    const parsed = ResponseSchema.safeParse(json);
    if (!parsed.success) return fail(`${endpoint} answered without a chat completion (expected choices[0].message)`, false);
    const { usage, timings } = parsed.data;
    const choices = [...parsed.data.choices].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
    if (choices.length < n) return fail(`${endpoint} gave ${choices.length} answers where ${n} were asked`, false);
    // usage and timings cover the whole request; with several choices they are not any one answer's
    const shared = n === 1;
    return choices.slice(0, n).map((choice) => ({
      content: choice.message.content ?? "",
      ...(choice.message.reasoning_content ? { reasoning: choice.message.reasoning_content } : {}),
      finishReason: choice.finish_reason ?? null,
      ...(usage && shared ? { completionTokens: usage.completion_tokens, ...(usage.prompt_tokens === undefined ? {} : { promptTokens: usage.prompt_tokens }) } : {}),
      ...(timings && shared
        ? {
            timings: {
              promptMs: timings.prompt_ms,
              predictedMs: timings.predicted_ms,
              ...(timings.prompt_n === undefined ? {} : { promptTokens: timings.prompt_n }),
              ...(timings.predicted_n === undefined ? {} : { predictedTokens: timings.predicted_n }),
            },
          }
        : {}),
      requestMs,
      attempts,
    }));
  }

  const retry = { retries: options.retries, baseDelayMs: baseDelay, maxDelayMs: maxDelay };
  const request = (messages: readonly Message[], seed: number, n: number, signal?: AbortSignal): Promise<Completion[]> => {
    const payload = body(messages, seed, n);
    return withRetries((attempts) => attempt(payload, n, attempts, signal), retry, signal);
  };

  const maxChoices = options.maxChoices ?? 1;
  return {
    complete: async (messages: readonly Message[], { seed, signal }: GenerateOptions): Promise<Completion> => (await request(messages, seed, 1, signal))[0]!,
    ...(maxChoices > 1
      ? {
          completeMany: (messages: readonly Message[], { seed, signal, n }: GenerateOptions & { n: number }) => request(messages, seed, Math.min(n, maxChoices), signal),
          choicesPerRequest: maxChoices,
        }
      : {}),
    close: async () => {},
  };
}
