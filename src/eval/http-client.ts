import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import type { Sampling, ServerLora } from "../schema/eval.js";
import type { Message } from "../schema/sample.js";
import { errorMessage } from "../util/errors.js";
import { AbortError } from "../validate/run-process.js";
import { ModelRequestError, type Completion, type GenerateOptions, type ModelClient } from "./model-client.js";

export interface HttpClientOptions {
  /** Server root or its `/v1`: `http://127.0.0.1:8080`, `http://localhost:11434/v1`. */
  url: string;
  model: string;
  /** Adapters the server has loaded, chosen per request (llama-server's `lora` field). */
  lora?: readonly ServerLora[];
  sampling: Pick<Sampling, "temperature" | "topP" | "maxTokens">;
  /** Sent as a bearer token (vLLM and hosted gateways want one). */
  apiKey?: string;
  /** Per request, covering the whole answer. */
  timeoutMs: number;
  /** Further tries after a 5xx, a 429, a timeout or a failed connection. */
  retries: number;
  /** First wait before a retry; it doubles each time, up to `maxRetryDelayMs`. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
}

const ResponseSchema = z.looseObject({
  choices: z
    .array(
      z.looseObject({
        message: z.looseObject({
          content: z.string().nullish(),
          reasoning_content: z.string().nullish(),
        }),
        finish_reason: z.string().nullish(),
      }),
    )
    .min(1),
  usage: z.looseObject({ completion_tokens: z.number().int().nonnegative(), prompt_tokens: z.number().int().nonnegative().optional() }).nullish(),
});

/** Where chat completions live under a base URL that may or may not already end in `/v1`. */
export function chatCompletionsUrl(base: string): string {
  const root = base.replace(/\/+$/, "");
  return `${/\/v1$/.test(root) ? root : `${root}/v1`}/chat/completions`;
}

export const BODY_EXCERPT = 300;

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

/** An OpenAI-compatible chat-completions client (llama-server, vLLM, Ollama) with timeouts and retries. */
export function httpModelClient(options: HttpClientOptions): ModelClient {
  const endpoint = chatCompletionsUrl(options.url);
  const baseDelay = options.retryDelayMs ?? 1000;
  const maxDelay = options.maxRetryDelayMs ?? 30_000;
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;

  const body = (messages: readonly Message[], seed: number) =>
    JSON.stringify({
      model: options.model,
      messages,
      temperature: options.sampling.temperature,
      ...(options.sampling.topP === undefined ? {} : { top_p: options.sampling.topP }),
      max_tokens: options.sampling.maxTokens,
      seed,
      stream: false,
      ...(options.lora && options.lora.length > 0 ? { lora: options.lora } : {}),
    });

  /** One request: a completion, or a ModelRequestError that says whether trying again could help. */
  async function attempt(payload: string, attempts: number, signal?: AbortSignal): Promise<Completion | { error: ModelRequestError; waitMs?: number }> {
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const fail = (message: string, retryable: boolean, waitMs?: number) => ({ error: new ModelRequestError(message, attempts, retryable), waitMs });
    let text: string;
    let status: number;
    let retryAfter: string | null;
    try {
      const res = await fetch(endpoint, { method: "POST", headers, body: payload, signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
      status = res.status;
      retryAfter = res.headers.get("retry-after");
      text = await res.text();
    } catch (err) {
      if (signal?.aborted) throw new AbortError();
      if (timeout.aborted) return fail(`no answer from ${endpoint} within ${options.timeoutMs} ms`, true);
      return fail(`cannot reach ${endpoint}: ${connectionFailure(err)}`, true);
    }
    if (status < 200 || status > 299) {
      const excerpt = text.trim().slice(0, BODY_EXCERPT);
      return fail(`HTTP ${status} from ${endpoint}${excerpt ? `: ${excerpt}` : ""}`, status >= 500 || status === 429 || status === 408, retryAfterMs(retryAfter));
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return fail(`${endpoint} answered with something other than JSON: ${text.slice(0, BODY_EXCERPT)}`, false);
    }
    const parsed = ResponseSchema.safeParse(json);
    if (!parsed.success) return fail(`${endpoint} answered without a chat completion (expected choices[0].message)`, false);
    const choice = parsed.data.choices[0]!;
    return {
      content: choice.message.content ?? "",
      ...(choice.message.reasoning_content ? { reasoning: choice.message.reasoning_content } : {}),
      finishReason: choice.finish_reason ?? null,
      ...(parsed.data.usage ? { completionTokens: parsed.data.usage.completion_tokens } : {}),
      ...(parsed.data.usage?.prompt_tokens === undefined ? {} : { promptTokens: parsed.data.usage.prompt_tokens }),
      attempts,
    };
  }

  return {
    async complete(messages: readonly Message[], { seed, signal }: GenerateOptions): Promise<Completion> {
      const payload = body(messages, seed);
      for (let attempts = 1; ; attempts++) {
        if (signal?.aborted) throw new AbortError();
        const result = await attempt(payload, attempts, signal);
        if (!("error" in result)) return result;
        if (!result.error.retryable || attempts > options.retries) throw result.error;
        const backoff = Math.min(maxDelay, baseDelay * 2 ** (attempts - 1));
        try {
          await sleep(Math.min(maxDelay, Math.max(backoff, result.waitMs ?? 0)), undefined, { signal });
        } catch {
          throw new AbortError();
        }
      }
    },
    close: async () => {},
  };
}
