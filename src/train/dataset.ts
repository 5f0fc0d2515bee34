import { Template } from "@huggingface/jinja";
import type { ChatTemplateUse } from "../schema/run.js";
import { TrainingRecordSchema, type TrainingRecord } from "../schema/train.js";
import { sha256Hex } from "../util/hash.js";
import { UserError } from "../util/errors.js";
import { parseJsonLines } from "../util/json-lines.js";
import { readTextFile } from "../util/read-text.js";
import type { ChatMessage, NativeModel } from "./native/binding.js";

export interface Conversation {
  /** 1-based line in the dataset file. */
  line: number;
  messages: TrainingRecord["messages"];
}

/** The export's messages JSONL; every bad line is reported as `file:line: field: expected ...`. */
export function parseTrainingJsonl(text: string, file: string): Conversation[] {
  const out = parseJsonLines(text, file, TrainingRecordSchema).map(({ value, line }) => ({ line, messages: value.messages }));
  if (out.length === 0) throw new UserError(`${file}: the dataset has no samples`);
  return out;
}

export async function readTrainingJsonl(file: string): Promise<Conversation[]> {
  return parseTrainingJsonl(await readTextFile(file, "dataset"), file);
}

export interface EncodedConversation {
  line: number;
  tokens: Int32Array;
  /** `labels[i]`: the token to predict after `tokens[i]`, or -1 where no loss is taken. */
  labels: Int32Array;
  /** Positions that carry a label. */
  labelled: number;
}

/** How a run renders conversations: the model's own Jinja template, as llama-server does, or llama.cpp's built-in one. */
export interface ChatRenderer {
  source: ChatTemplateUse["source"];
  /** sha256 of the model's template text, when it has one. */
  templateSha256?: string;
  /** Why the model's own template was not used, when it was not. */
  note?: string;
  render(messages: readonly ChatMessage[], addAssistant: boolean): string;
}

/**
 * The model's `tokenizer.chat_template` rendered with @huggingface/jinja, the same template llama-server applies
 * (`--jinja`), so a trained adapter sees at inference exactly the text it was trained on (Qwen3's template, for
 * one, opens every final assistant turn with an empty think block that llama.cpp's built-in ChatML lacks).
 * llama.cpp's template detection is the fallback for a template the Jinja engine cannot parse, or none.
 */
export function chatRenderer(model: NativeModel): ChatRenderer {
  const { chatTemplate, eosText } = model.info();
  const builtIn = (note: string): ChatRenderer => ({
    source: "llama.cpp",
    ...(chatTemplate ? { templateSha256: sha256Hex(chatTemplate) } : {}),
    note,
    render(messages, addAssistant) {
      if (messages.length === 0) return "";
      const text = model.applyChatTemplate(messages, addAssistant);
      if (text === null) {
        throw new UserError("the base model has no chat template that llama.cpp can apply (tokenizer.chat_template); use a model with a known template such as ChatML");
      }
      return text;
    },
  });
  if (!chatTemplate) return builtIn("the model has no tokenizer.chat_template");
  let template: Template;
  try {
    template = new Template(chatTemplate);
  } catch (err) {
    return builtIn(`the model's chat template does not parse as Jinja (${(err as Error).message})`);
  }
  return {
    source: "model",
    templateSha256: sha256Hex(chatTemplate),
    render(messages, addAssistant) {
      if (messages.length === 0) return "";
      // bos_token stays empty: tokenizing with special tokens on adds the model's BOS once, as llama-server does.
      return template.render({ messages: messages.map(({ role, content }) => ({ role, content })), add_generation_prompt: addAssistant, bos_token: "", eos_token: eosText });
    },
  };
}

/**
 * Tokens of a conversation rendered with the model's chat template, with labels on the assistant turns only
 * (their closing tokens included, so the model learns to stop) or, without `assistantOnly`, on every token.
 * Each assistant turn is found by rendering the conversation up to it with and without the turn; both must be
 * prefixes of the whole rendering, as they are for every common template.
 */
export function encodeConversation(model: NativeModel, renderer: ChatRenderer, conversation: Conversation, assistantOnly: boolean): EncodedConversation {
  const { messages } = conversation;
  const render = (part: readonly ChatMessage[], addAssistant: boolean): string => {
    try {
      return renderer.render(part, addAssistant);
    } catch (err) {
      if (err instanceof UserError) throw err;
      throw new UserError(`line ${conversation.line}: the model's chat template failed on this conversation: ${(err as Error).message}`);
    }
  };
  const full = render(messages, false);
  const cuts: { at: number; assistant: boolean }[] = [];
  messages.forEach((m, k) => {
    if (m.role !== "assistant") return;
    const before = render(messages.slice(0, k), true);
    const through = render(messages.slice(0, k + 1), false);
    if (!full.startsWith(before) || !full.startsWith(through)) {
      throw new UserError(`line ${conversation.line}: the model's chat template does not render conversations prefix by prefix, so assistant turns cannot be located`);
    }
    cuts.push({ at: before.length, assistant: true }, { at: through.length, assistant: false });
  });

  const tokens: number[] = [];
  const trainable: boolean[] = [];
  let start = 0;
  let inAssistant = false;
  for (const cut of [...cuts, { at: full.length, assistant: false }]) {
    if (cut.at > start) {
      const piece = model.tokenize(full.slice(start, cut.at), start === 0);
      for (const t of piece) {
        tokens.push(t);
        trainable.push(inAssistant || !assistantOnly);
      }
    }
    start = Math.max(start, cut.at);
    inAssistant = cut.assistant;
  }

  const labels = new Int32Array(tokens.length).fill(-1);
  let labelled = 0;
  for (let i = 0; i + 1 < tokens.length; i++) {
    if (trainable[i + 1]) {
      labels[i] = tokens[i + 1]!;
      labelled++;
    }
  }
  return { line: conversation.line, tokens: Int32Array.from(tokens), labels, labelled };
}

/** A sample padded to the training context: padding positions carry no label, so they add no loss. */
export function toContext(sample: EncodedConversation, contextLength: number, padToken: number): { tokens: Int32Array; labels: Int32Array } {
  if (sample.tokens.length > contextLength) throw new Error(`line ${sample.line}: ${sample.tokens.length} tokens do not fit a context of ${contextLength}`);
  const tokens = new Int32Array(contextLength).fill(padToken);
  const labels = new Int32Array(contextLength).fill(-1);
  tokens.set(sample.tokens);
  labels.set(sample.labels);
  return { tokens, labels };
}
