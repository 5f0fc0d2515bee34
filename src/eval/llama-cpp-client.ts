import { existsSync } from "node:fs";
import pLimit from "p-limit";
import type { ChatHistoryItem, LlamaContext, LlamaContextSequence, LlamaModel } from "node-llama-cpp";
import type { Sampling } from "../schema/eval.js";
import type { Message } from "../schema/sample.js";
import { UserError, errorMessage } from "../util/errors.js";
import { AbortError } from "../validate/run-process.js";
import { ModelRequestError, type Completion, type GenerateOptions, type ModelClient } from "./model-client.js";

export interface LlamaCppClientOptions {
  /** A GGUF model file. */
  modelPath: string;
  /** LoRA adapter files (GGUF) applied on top, each with its scale. */
  lora?: readonly { path: string; scale: number }[];
  sampling: Pick<Sampling, "temperature" | "topP" | "maxTokens">;
  /** Tokens of context per parallel answer (at most what the model was trained on). */
  contextSize: number;
  /** Answers generated at once, each in its own context sequence. */
  parallel: number;
  /** CPU threads (default: llama.cpp's choice). Fewer help on a busy machine, where spinning threads wait on each other. */
  threads?: number;
}

/** How llama.cpp's stop reasons read in OpenAI terms, so both clients' answers compare. */
const FINISH_REASONS: Record<string, string> = { maxTokens: "length", eogToken: "stop", stopGenerationTrigger: "stop", customStopTrigger: "stop", abort: "abort" };

function chatHistory(messages: readonly Message[]): { history: ChatHistoryItem[]; prompt: string } {
  const last = messages.at(-1);
  if (!last || last.role !== "user") throw new Error("a chat for the model must end with a user message");
  const history = messages.slice(0, -1).map((m): ChatHistoryItem =>
    m.role === "system" ? { type: "system", text: m.content } : m.role === "user" ? { type: "user", text: m.content } : { type: "model", response: [m.content] },
  );
  return { history, prompt: last.content };
}

/**
 * A GGUF model run in this process by node-llama-cpp (no server), with optional LoRA adapters. The model's
 * own chat template formats the messages; reasoning the chat wrapper recognises comes back apart.
 */
export async function llamaCppModelClient(options: LlamaCppClientOptions): Promise<ModelClient> {
  for (const file of [options.modelPath, ...(options.lora ?? []).map((l) => l.path)]) {
    if (!existsSync(file)) throw new UserError(`${file}: model file not found`);
  }
  // Loaded on demand: the native addon costs nothing to users who evaluate over HTTP.
  const { getLlama, LlamaChatSession, LlamaLogLevel } = await import("node-llama-cpp");
  const llama = await getLlama({ logLevel: LlamaLogLevel.error });
  let model: LlamaModel;
  try {
    model = await llama.loadModel({ modelPath: options.modelPath });
  } catch (err) {
    await llama.dispose();
    throw new UserError(`${options.modelPath}: cannot load the model: ${errorMessage(err)}`);
  }
  let context: LlamaContext;
  try {
    const lora = options.lora ?? [];
    context = await model.createContext({
      sequences: options.parallel,
      ...(options.threads === undefined ? {} : { threads: options.threads }),
      contextSize: { max: Math.min(options.contextSize, model.trainContextSize) },
      ...(lora.length > 0 ? { lora: { adapters: lora.map((l) => ({ filePath: l.path, scale: l.scale })) } } : {}),
    });
  } catch (err) {
    await model.dispose();
    await llama.dispose();
    throw new UserError(`${options.modelPath}: cannot create a context${options.lora?.length ? " with the LoRA adapters" : ""}: ${errorMessage(err)}`);
  }
  const idle: LlamaContextSequence[] = Array.from({ length: options.parallel }, () => context.getSequence());
  const limit = pLimit(options.parallel);

  const generate = async (messages: readonly Message[], { seed, signal }: GenerateOptions): Promise<Completion> => {
    const { history, prompt } = chatHistory(messages);
    const sequence = idle.pop()!;
    const session = new LlamaChatSession({ contextSequence: sequence, autoDisposeSequence: false });
    try {
      session.setChatHistory(history);
      let completionTokens = 0;
      const result = await session.promptWithMeta(prompt, {
        temperature: options.sampling.temperature,
        ...(options.sampling.topP === undefined ? {} : { topP: options.sampling.topP }),
        maxTokens: options.sampling.maxTokens,
        seed,
        signal,
        onToken: (tokens) => {
          completionTokens += tokens.length;
        },
      });
      const content = result.response.filter((r): r is string => typeof r === "string").join("");
      const reasoning = result.response.flatMap((r) => (typeof r === "object" && r.type === "segment" && r.segmentType === "thought" ? [r.text] : [])).join("");
      return {
        content,
        ...(reasoning ? { reasoning } : {}),
        finishReason: FINISH_REASONS[result.stopReason] ?? result.stopReason,
        completionTokens,
        attempts: 1,
      };
    } catch (err) {
      if (signal?.aborted) throw new AbortError();
      // A prompt longer than the context (node-llama-cpp: "Failed to compress chat history for context
      // shift") is this answer's failure, as a server's 400 would be, not the end of the run.
      throw new ModelRequestError(`the local model could not answer: ${errorMessage(err)}`, 1, false);
    } finally {
      session.dispose({ disposeSequence: false });
      await sequence.clearHistory();
      idle.push(sequence);
    }
  };

  return {
    complete: (messages, opts) => limit(() => generate(messages, opts)),
    async close() {
      await context.dispose();
      await model.dispose();
      await llama.dispose();
    },
  };
}
