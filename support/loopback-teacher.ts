import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { listenOnLoopback, readBody } from "./loopback-server.js";

/** One request the teacher received, in either API's shape, with the system prompt as the first message. */
export interface TeacherRequest {
  api: "openai" | "anthropic";
  headers: IncomingMessage["headers"];
  body: Record<string, unknown>;
  messages: { role: string; content: string }[];
}

export interface TeacherReply {
  /** The answer text. */
  content?: string;
  /** An error status instead of an answer. */
  status?: number;
  promptTokens?: number;
  completionTokens?: number;
}

export type TeacherResponder = (request: TeacherRequest, index: number) => TeacherReply | Promise<TeacherReply>;

export interface LoopbackTeacher {
  /** http://127.0.0.1:PORT */
  url: string;
  requests: TeacherRequest[];
  close(): Promise<void>;
}

function answer(api: TeacherRequest["api"], reply: TeacherReply): unknown {
  const usage = { prompt: reply.promptTokens ?? 100, completion: reply.completionTokens ?? 50 };
  if (api === "anthropic") {
    return { id: "msg_test", type: "message", role: "assistant", content: [{ type: "text", text: reply.content ?? "" }], stop_reason: "end_turn", usage: { input_tokens: usage.prompt, output_tokens: usage.completion } };
  }
  return {
    id: "chatcmpl-test",
    object: "chat.completion",
    choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: reply.content ?? "" } }],
    usage: { prompt_tokens: usage.prompt, completion_tokens: usage.completion, total_tokens: usage.prompt + usage.completion },
  };
}

/**
 * A teacher model on 127.0.0.1 that speaks both OpenAI's `/v1/chat/completions` and Anthropic's
 * `/v1/messages`, answering as the responder says, after `delayMs` like a model generating.
 */
export async function startLoopbackTeacher(respond: TeacherResponder, options: { delayMs?: number } = {}): Promise<LoopbackTeacher> {
  const requests: TeacherRequest[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const api = req.url === "/v1/chat/completions" ? "openai" : req.url === "/v1/messages" ? "anthropic" : undefined;
      const text = (await readBody(req)).toString("utf8");
      if (req.method !== "POST" || !api) {
        res.writeHead(404).end();
        return;
      }
      const body = JSON.parse(text) as Record<string, unknown>;
      const messages = [...(typeof body.system === "string" ? [{ role: "system", content: body.system }] : []), ...(body.messages as TeacherRequest["messages"])];
      const request: TeacherRequest = { api, headers: req.headers, body, messages };
      requests.push(request);
      const reply = await respond(request, requests.length - 1);
      if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
      if (reply.status && reply.status !== 200) {
        res.writeHead(reply.status, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: `status ${reply.status}` } }));
        return;
      }
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer(api, reply)));
    })().catch((err: unknown) => res.writeHead(500).end(String(err)));
  });
  return { ...(await listenOnLoopback(server)), requests };
}

/** The user request a conversation started with (after any system message). */
export function firstRequest(request: TeacherRequest): string {
  return request.messages.find((m) => m.role === "user")?.content ?? "";
}

/** How many times the teacher has already answered in this conversation. */
export function round(request: TeacherRequest): number {
  return request.messages.filter((m) => m.role === "assistant").length;
}
