import { z } from "zod";
import type { Message } from "../schema/sample.js";
import { AbortError } from "../validate/run-process.js";
import { BODY_EXCERPT, connectionFailure, retryAfterMs } from "./http-client.js";
import { ModelRequestError, withRetries, type Completion, type GenerateOptions, type ModelClient } from "./model-client.js";

/** The API version the request and response shapes below follow. */
export const ANTHROPIC_VERSION = "2023-06-01";

export interface AnthropicClientOptions {
  /** API root or its `/v1`: `https://api.anthropic.com`. */
  url: string;
  model: string;
  apiKey?: string;
  temperature: number;
  maxTokens: number;
  timeoutMs: number;
  /** Further tries after a 5xx, a 429, a timeout or a failed connection; a deterministic 4xx is final. */
  retries: number;
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
}

const ResponseSchema = z.looseObject({
  content: z.array(z.looseObject({ type: z.string(), text: z.string().optional() })),
  stop_reason: z.string().nullish(),
  usage: z.looseObject({ input_tokens: z.number().int().nonnegative(), output_tokens: z.number().int().nonnegative() }).nullish(),
});

export function messagesUrl(base: string): string {
  const root = base.replace(/\/+$/, "");
  return `${/\/v1$/.test(root) ? root : `${root}/v1`}/messages`;
}

/** Anthropic's Messages API behind the ModelClient interface: the system message goes in `system`. */
export function anthropicModelClient(options: AnthropicClientOptions): ModelClient {
  const endpoint = messagesUrl(options.url);
  const baseDelay = options.retryDelayMs ?? 1000;
  const maxDelay = options.maxRetryDelayMs ?? 30_000;
  const headers: Record<string, string> = { "content-type": "application/json", "anthropic-version": ANTHROPIC_VERSION };
  if (options.apiKey) headers["x-api-key"] = options.apiKey;

  const body = (messages: readonly Message[]) => {
    const system = messages.filter((m) => m.role === "system").map((m) => m.content);
    return JSON.stringify({
      model: options.model,
      max_tokens: options.maxTokens,
      temperature: options.temperature,
      ...(system.length > 0 ? { system: system.join("\n\n") } : {}),
      messages: messages.filter((m) => m.role !== "system").map(({ role, content }) => ({ role, content })),
    });
  };

  async function attempt(payload: string, attempts: number, signal?: AbortSignal): Promise<Completion | { error: ModelRequestError; waitMs?: number }> {
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const fail = (message: string, retryable: boolean, waitMs?: number) => ({ error: new ModelRequestError(message, attempts, retryable), waitMs });
    let res: Response;
    let text: string;
    try {
      res = await fetch(endpoint, { method: "POST", headers, body: payload, signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
      text = await res.text();
    } catch (err) {
      if (signal?.aborted) throw new AbortError();
      if (timeout.aborted) return fail(`no answer from ${endpoint} within ${options.timeoutMs} ms`, true);
      return fail(`cannot reach ${endpoint}: ${connectionFailure(err)}`, true);
    }
    if (!res.ok) {
      const excerpt = text.trim().slice(0, BODY_EXCERPT);
      return fail(`HTTP ${res.status} from ${endpoint}${excerpt ? `: ${excerpt}` : ""}`, res.status >= 500 || res.status === 429 || res.status === 408, retryAfterMs(res.headers.get("retry-after")));
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return fail(`${endpoint} answered with something other than JSON: ${text.slice(0, BODY_EXCERPT)}`, false);
    }
    const parsed = ResponseSchema.safeParse(json);
    if (!parsed.success) return fail(`${endpoint} answered without a message (expected content[])`, false);
    const { content, stop_reason, usage } = parsed.data;
    return {
      content: content
        .filter((c) => c.type === "text")
        .map((c) => c.text ?? "")
        .join(""),
      finishReason: stop_reason ?? null,
      ...(usage ? { promptTokens: usage.input_tokens, completionTokens: usage.output_tokens } : {}),
      attempts,
    };
  }

  return {
    // The Messages API has no seed: answers repeat only as far as the temperature allows.
    async complete(messages: readonly Message[], { signal }: GenerateOptions): Promise<Completion> {
      const payload = body(messages);
      return withRetries((attempts) => attempt(payload, attempts, signal), { retries: options.retries, baseDelayMs: baseDelay, maxDelayMs: maxDelay }, signal);
    },
    close: async () => {},
  };
}
