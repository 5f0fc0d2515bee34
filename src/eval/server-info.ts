import { z } from "zod";
import type { ServerInfo, ServerLora } from "../schema/eval.js";
import { UserError } from "../util/errors.js";
import { redactSecret } from "../util/redact.js";
import { connectionFailure, fetchBounded, serverRoot } from "./http-client.js";

const PropsSchema = z.looseObject({ total_slots: z.number().int().positive().optional(), model_path: z.string().optional() });
const ModelsSchema = z.looseObject({ data: z.array(z.looseObject({ id: z.string() })).min(1) });
const AdaptersSchema = z.array(z.looseObject({ id: z.number().int().nonnegative(), path: z.string(), scale: z.number() }));

/** Small JSON documents only: a server's metadata is a few kilobytes. */
const MAX_INFO_BYTES = 1024 * 1024;

/**
 * What a server says about itself before the first request: its model, its slots (`/props` total_slots) and
 * the LoRA adapters it loaded (`/lora-adapters`). Each is null where the server has no such route (vLLM, Ollama).
 */
export async function inspectServer(url: string, options: { apiKey?: string; timeoutMs?: number; signal?: AbortSignal } = {}): Promise<ServerInfo> {
  const root = serverRoot(url);
  const headers: Record<string, string> = options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {};
  const get = async <T>(path: string, schema: z.ZodType<T>): Promise<T | null> => {
    const timeout = AbortSignal.timeout(options.timeoutMs ?? 10_000);
    try {
      const res = await fetchBounded(`${root}${path}`, { headers, signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout, maxBytes: MAX_INFO_BYTES });
      if (res.status !== 200 || res.text === undefined) return null;
      const parsed = schema.safeParse(JSON.parse(res.text));
      return parsed.success ? parsed.data : null;
    } catch (err) {
      if (options.signal?.aborted) throw err;
      // A route the server lacks, or an answer that is not JSON: that piece is unknown, not an error.
      if (err instanceof SyntaxError) return null;
      throw new UserError(redactSecret(`cannot reach ${root}${path}: ${connectionFailure(err)}`, options.apiKey));
    }
  };
  const [props, models, adapters] = await Promise.all([get("/props", PropsSchema), get("/v1/models", ModelsSchema), get("/lora-adapters", AdaptersSchema)]);
  return {
    model: models?.data[0]?.id ?? props?.model_path ?? null,
    slots: props?.total_slots ?? null,
    adapters: adapters?.map((a) => ({ id: a.id, path: a.path, scale: a.scale })) ?? null,
  };
}

/**
 * The `lora` list to send with every request: each adapter the server loaded, at the chosen scale or at 0.
 * llama-server applies all its adapters to a request that names none, so "no selection" must be sent as
 * zeros to measure the base; an id the server does not have is refused (the server would ignore it).
 */
export function explicitLora(selected: readonly ServerLora[], info: ServerInfo, url: string): ServerLora[] {
  const listed = (adapters: readonly { id: number; path: string }[]) => (adapters.length === 0 ? "none" : adapters.map((a) => `${a.id} (${a.path})`).join(", "));
  if (info.adapters === null) {
    if (selected.length > 0) throw new UserError(`${url} does not list LoRA adapters (no /lora-adapters); --lora-id needs a llama-server started with --lora`);
    return [];
  }
  const unknown = selected.filter((s) => !info.adapters!.some((a) => a.id === s.id));
  if (unknown.length > 0) {
    throw new UserError(`--lora-id ${unknown.map((u) => u.id).join(", ")}: ${url} has no such adapter; adapters there: ${listed(info.adapters)}`);
  }
  return info.adapters.map((a) => ({ id: a.id, scale: selected.find((s) => s.id === a.id)?.scale ?? 0 }));
}
