import { anthropicModelClient } from "../eval/anthropic-client.js";
import { httpModelClient } from "../eval/http-client.js";
import type { Completion, GenerateOptions, ModelClient } from "../eval/model-client.js";
import type { Message } from "../schema/sample.js";
import type { TeacherSpec, TokenPrices, TokenUsage } from "../schema/synth.js";

export interface OpenTeacherOptions {
  timeoutMs: number;
  retries: number;
  /** Where the key is looked up (default: process.env). */
  env?: NodeJS.ProcessEnv;
  retryDelayMs?: number;
}

/** The variable the key is read from: the spec's, else the provider's usual one. */
export function apiKeyVariable(spec: TeacherSpec): string {
  return spec.apiKeyEnv ?? (spec.api === "anthropic" ? "ANTHROPIC_API_KEY" : "OPENAI_API_KEY");
}

/** How the teacher is named in a sample's provenance: its API and model, never its key. */
export function teacherLabel(spec: TeacherSpec): string {
  return `${spec.api}:${spec.model}`;
}

/** A client for the teacher. The key comes from the environment and is only ever put in a request header. */
export function openTeacher(spec: TeacherSpec, options: OpenTeacherOptions): ModelClient {
  const apiKey = (options.env ?? process.env)[apiKeyVariable(spec)] || undefined;
  const common = { url: spec.url, model: spec.model, apiKey, timeoutMs: options.timeoutMs, retries: options.retries, retryDelayMs: options.retryDelayMs };
  if (spec.api === "anthropic") return anthropicModelClient({ ...common, temperature: spec.temperature, maxTokens: spec.maxTokens });
  return httpModelClient({ ...common, sampling: { temperature: spec.temperature, maxTokens: spec.maxTokens } });
}

export function emptyUsage(): TokenUsage {
  return { requests: 0, promptTokens: 0, completionTokens: 0 };
}

export function addUsage(total: TokenUsage, more: TokenUsage): TokenUsage {
  return { requests: total.requests + more.requests, promptTokens: total.promptTokens + more.promptTokens, completionTokens: total.completionTokens + more.completionTokens };
}

export function usageCost(usage: TokenUsage, prices: TokenPrices): number {
  return (usage.promptTokens * prices.inputPerMillion + usage.completionTokens * prices.outputPerMillion) / 1e6;
}

/** A teacher conversation that counts what it spends, from the API's own usage figures. */
export class TeacherConversation {
  readonly usage: TokenUsage = emptyUsage();

  constructor(
    private readonly client: ModelClient,
    private readonly options: GenerateOptions,
  ) {}

  async ask(messages: readonly Message[]): Promise<Completion> {
    const answer = await this.client.complete(messages, this.options);
    this.usage.requests += answer.attempts;
    this.usage.promptTokens += answer.promptTokens ?? 0;
    this.usage.completionTokens += answer.completionTokens ?? 0;
    return answer;
  }
}
