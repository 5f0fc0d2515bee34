import { afterEach, describe, expect, it } from "vitest";
import { chatCompletionsUrl, httpModelClient, type HttpClientOptions } from "../../src/eval/http-client.js";
import { ModelRequestError } from "../../src/eval/model-client.js";
import { AbortError } from "../../src/validate/run-process.js";
import { closedPort, completion, startFakeLlamaServer, type FakeLlamaServer, type Responder } from "./fake-llama-server.js";

const messages = [
  { role: "system" as const, content: "Answer with Hew only." },
  { role: "user" as const, content: "Write a main." },
];

let servers: FakeLlamaServer[] = [];
let server: FakeLlamaServer | undefined;
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function clientFor(respond: Responder, options: Partial<HttpClientOptions> = {}) {
  server = await startFakeLlamaServer(respond);
  servers.push(server);
  return httpModelClient({ url: server.url, model: "qwen-4b", sampling: { temperature: 0.7, topP: 0.9, maxTokens: 512 }, timeoutMs: 5000, retries: 2, retryDelayMs: 1, ...options });
}

describe("OpenAI-compatible HTTP client", () => {
  it("finds /v1/chat/completions under a server root or its /v1", () => {
    expect(chatCompletionsUrl("http://127.0.0.1:8080")).toBe("http://127.0.0.1:8080/v1/chat/completions");
    expect(chatCompletionsUrl("http://127.0.0.1:11434/v1/")).toBe("http://127.0.0.1:11434/v1/chat/completions");
  });

  it("sends the messages, sampling, seed and LoRA selection, and keeps reasoning apart from the answer", async () => {
    const client = await clientFor(() => completion("fn main() {}", { reasoning: "a main is enough", tokens: 7 }), { lora: [{ id: 0, scale: 0.5 }] });
    const answer = await client.complete(messages, { seed: 42 });
    expect(answer).toEqual({
      content: "fn main() {}",
      reasoning: "a main is enough",
      finishReason: "stop",
      completionTokens: 7,
      promptTokens: 10,
      requestMs: expect.any(Number),
      attempts: 1,
    });
    expect(server!.requests[0]).toMatchObject({
      model: "qwen-4b",
      messages,
      temperature: 0.7,
      top_p: 0.9,
      max_tokens: 512,
      seed: 42,
      stream: false,
      lora: [{ id: 0, scale: 0.5 }],
    });
  });

  it("leaves out top_p and lora when none are chosen", async () => {
    const client = await clientFor(() => completion("x"), { sampling: { temperature: 0, maxTokens: 64 } });
    await client.complete(messages, { seed: 0 });
    expect(server!.requests[0]).not.toHaveProperty("top_p");
    expect(server!.requests[0]).not.toHaveProperty("lora");
  });

  it("reports a cut-off answer's finish reason", async () => {
    const client = await clientFor(() => completion("```hew\nfn main() {", { finishReason: "length" }));
    expect((await client.complete(messages, { seed: 0 })).finishReason).toBe("length");
  });

  it("retries a 503 and a 502 and answers with the retry's completion", async () => {
    const client = await clientFor((_, i) => (i < 2 ? { status: 503 - i, json: { error: { message: "slot unavailable" } } } : completion("fn main() {}")));
    const answer = await client.complete(messages, { seed: 0 });
    expect(answer).toMatchObject({ content: "fn main() {}", attempts: 3 });
    expect(server!.requests).toHaveLength(3);
  });

  it("does not retry a 500: the same payload and seed give the same failure", async () => {
    const message = "The model produced output that does not match the expected format";
    const client = await clientFor(() => ({ status: 500, json: { error: { code: 500, message, type: "server_error" } } }));
    const err = await client.complete(messages, { seed: 0 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ attempts: 1, retryable: false, message: expect.stringMatching(new RegExp(`HTTP 500 from .*: ${message}$`)) });
    expect(server!.requests).toHaveLength(1);
  });

  it("records the server's timings and usage, and the time from sending the request", async () => {
    const reply = completion("fn main() {}", { tokens: 5 });
    (reply.json as Record<string, unknown>).timings = { prompt_n: 12, prompt_ms: 3.5, predicted_n: 5, predicted_ms: 41.25 };
    const client = await clientFor(() => ({ ...reply, delayMs: 50 }));
    const answer = await client.complete(messages, { seed: 0 });
    expect(answer).toMatchObject({ timings: { promptMs: 3.5, predictedMs: 41.25, promptTokens: 12, predictedTokens: 5 }, completionTokens: 5, promptTokens: 10 });
    expect(answer.requestMs).toBeGreaterThanOrEqual(45);
  });

  it("gives up after the retries with the server's message and the number of tries", async () => {
    const client = await clientFor(() => ({ status: 503, json: { error: { message: "loading model" } } }));
    const err = await client.complete(messages, { seed: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelRequestError);
    expect(err).toMatchObject({ attempts: 3, retryable: true });
    expect((err as Error).message).toMatch(/HTTP 503 .*loading model/);
    expect(server!.requests).toHaveLength(3);
  });

  it("does not retry a 4xx: the request itself is wrong", async () => {
    const client = await clientFor(() => ({ status: 400, json: { error: { message: "unknown model" } } }));
    const err = await client.complete(messages, { seed: 0 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ attempts: 1, retryable: false });
    expect(server!.requests).toHaveLength(1);
  });

  it("times out a slow answer and retries it", async () => {
    const client = await clientFor((_, i) => (i === 0 ? { ...completion("too late"), delayMs: 10_000 } : completion("fn main() {}")), { timeoutMs: 1500 });
    const answer = await client.complete(messages, { seed: 0 });
    expect(answer).toMatchObject({ content: "fn main() {}", attempts: 2 });
  });

  it("says when no answer came within the timeout, after the retries", async () => {
    const client = await clientFor(() => ({ ...completion("late"), delayMs: 10_000 }), { timeoutMs: 100, retries: 1 });
    const err = await client.complete(messages, { seed: 0 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ attempts: 2, retryable: true });
    expect((err as Error).message).toMatch(/no answer from .* within 100 ms/);
  });

  it("retries a refused connection and names it", async () => {
    const port = await closedPort();
    const client = httpModelClient({ url: `http://127.0.0.1:${port}`, model: "m", sampling: { temperature: 0, maxTokens: 8 }, timeoutMs: 1000, retries: 1, retryDelayMs: 1 });
    const err = await client.complete(messages, { seed: 0 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ attempts: 2, retryable: true });
    expect((err as Error).message).toMatch(/cannot reach http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions: ECONNREFUSED/);
  });

  it("refuses a body that is no chat completion", async () => {
    const client = await clientFor(() => ({ text: "<html>proxy error</html>" }));
    await expect(client.complete(messages, { seed: 0 })).rejects.toThrow(/something other than JSON/);
    const other = await clientFor(() => ({ json: { choices: [] } }));
    await expect(other.complete(messages, { seed: 0 })).rejects.toThrow(/without a chat completion/);
  });

  it("stops at once when cancelled, also while waiting for an answer", async () => {
    const client = await clientFor(() => ({ ...completion("late"), delayMs: 10_000 }));
    const controller = new AbortController();
    const pending = client.complete(messages, { seed: 0, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toBeInstanceOf(AbortError);
  });
});
