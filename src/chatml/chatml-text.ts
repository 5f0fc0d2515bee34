import { MessageSchema, RoleSchema, type Message } from "../schema/sample.js";
import { UserError } from "../util/errors.js";

export const IM_START = "<|im_start|>";
export const IM_END = "<|im_end|>";

/** One conversation as ChatML text: `<|im_start|>role\ncontent<|im_end|>\n` per message. */
export function toChatML(messages: readonly Message[]): string {
  return messages
    .map((m) => {
      if (m.content.includes(IM_START) || m.content.includes(IM_END)) {
        throw new UserError(`a ${m.role} message contains a ChatML control token and cannot be written as ChatML text`);
      }
      return `${IM_START}${m.role}\n${m.content}${IM_END}\n`;
    })
    .join("");
}

/** Several conversations, separated by a blank line. */
export function toChatMLDocument(conversations: readonly (readonly Message[])[]): string {
  return conversations.map(toChatML).join("\n");
}

const MESSAGE = /<\|im_start\|>([a-z]+)\n([\s\S]*?)<\|im_end\|>(\n\n|\n|$)/y;

/**
 * Parse ChatML text back into conversations; inverse of `toChatMLDocument`. A blank line after a
 * message ends a conversation. Anything outside the message grammar is an error with its line.
 */
export function parseChatML(text: string, file = "<chatml>"): Message[][] {
  const conversations: Message[][] = [];
  let current: Message[] = [];
  let pos = 0;
  const lineAt = (offset: number) => text.slice(0, offset).split("\n").length;
  while (pos < text.length) {
    MESSAGE.lastIndex = pos;
    const m = MESSAGE.exec(text);
    if (!m) throw new UserError(`${file}:${lineAt(pos)}: expected "${IM_START}role" followed by a message ending in "${IM_END}"`);
    const role = RoleSchema.safeParse(m[1]);
    if (!role.success) throw new UserError(`${file}:${lineAt(pos)}: unknown role "${m[1]}"; expected system, user or assistant`);
    current.push(MessageSchema.parse({ role: role.data, content: m[2] }));
    if (m[3] !== "\n") {
      conversations.push(current);
      current = [];
    }
    pos = MESSAGE.lastIndex;
  }
  if (current.length > 0) conversations.push(current);
  return conversations;
}
