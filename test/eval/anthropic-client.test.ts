import { afterEach, describe, expect, it } from "vitest";
import { anthropicModelClient, messagesUrl } from "../../src/eval/anthropic-client.js";
import { ModelRequestError } from "../../src/eval/model-client.js";
import { startLoopbackTeacher, type LoopbackTeacher, type TeacherResponder } from "../../support/loopback-teacher.js";

let server: LoopbackTeacher | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function client(respond: TeacherResponder, retries = 2) {
  server = await startLoopbackTeacher(respond);
  return anthropicModelClient({ url: server.url, model: "claude-test", apiKey: "sk-ant-test", temperature: 0.5, maxTokens: 321, timeoutMs: 5000, retries, retryDelayMs: 1 });
}

describe("the Anthropic Messages client", () => {
  it("finds /v1/messages under a root or a /v1 base", () => {
    expect(messagesUrl("https://api.anthropic.com")).toBe("https://api.anthropic.com/v1/messages");
    expect(messagesUrl("https://gateway.example/v1/")).toBe("https://gateway.example/v1/messages");
  });

  it("sends the system prompt apart, the key and version as headers, and reads the usage", async () => {
    const c = await client(() => ({ content: "fn main() {}\n", promptTokens: 42, completionTokens: 7 }));
    const answer = await c.complete(
      [
        { role: "system", content: "You write Hew." },
        { role: "user", content: "Write main." },
      ],
      { seed: 1 },
    );
    expect(answer).toMatchObject({ content: "fn main() {}\n", promptTokens: 42, completionTokens: 7, attempts: 1, finishReason: "end_turn" });
    const request = server!.requests[0]!;
    expect(request.headers["x-api-key"]).toBe("sk-ant-test");
    expect(request.headers["anthropic-version"]).toBe("2023-06-01");
    expect(request.headers.authorization).toBeUndefined();
    expect(request.body).toMatchObject({ model: "claude-test", max_tokens: 321, temperature: 0.5, system: "You write Hew.", messages: [{ role: "user", content: "Write main." }] });
  });

  it("retries 429 and 5xx with backoff, and gives up at once on a deterministic 4xx", async () => {
    const statuses = [429, 529];
    const c = await client(() => (statuses.length > 0 ? { status: statuses.shift()! } : { content: "ok" }));
    expect(await c.complete([{ role: "user", content: "x" }], { seed: 0 })).toMatchObject({ content: "ok", attempts: 3 });

    await server!.close();
    const bad = await client(() => ({ status: 400 }));
    const err = await bad.complete([{ role: "user", content: "x" }], { seed: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelRequestError);
    expect((err as ModelRequestError).retryable).toBe(false);
    expect((err as ModelRequestError).message).toContain("HTTP 400");
    expect(server!.requests).toHaveLength(1);
  });
});
