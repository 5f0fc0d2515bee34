import type { FailureCategory } from "../category.js";
import templates from "../templates/prose-leak.js";
import { isFenceLine, looksLikeMarkdown, looksLikeProse } from "../source-view.js";

// Prose is read as code, so it always fails in the parser; the line the parser stopped on tells prose from code.
export default {
  id: "prose-leak",
  title: "Prose or markdown around the code",
  description:
    "The answer carries English sentences or markdown fences where only Hew belongs. Every backtick is an `InvalidLiteral`, and a sentence is an `Other` parse error (\"expected item ..., found identifier `Here`\"), so nothing behind it is checked.",
  matchers: [
    {
      description: "a markdown code fence inside the code",
      where: (d, source) => d.source === "hew-parser" && isFenceLine(source.lineOf(d)) && source.lineOf(d).trim(),
    },
    {
      description: "a line of English prose where the parser expected code",
      where: (d, source) => d.source === "hew-parser" && looksLikeProse(source.lineOf(d)) && source.lineOf(d).trim(),
    },
    {
      description: "a markdown heading, list item, bold note or label between items of the program",
      where: (d, source) => d.source === "hew-parser" && looksLikeMarkdown(source.lineOf(d)) && source.lineOf(d).trim(),
    },
  ],
  rules: [
    {
      id: "answer-format",
      text: "Output exactly one ```hew fenced block that holds the whole program and nothing else: no sentence before or after it, no second block, no ```rust tag.",
      short: "No text before or after the ```hew block.",
      reason: "v1 asked for an explanation after the code; the checker reads prose as code (`Other` \"expected item (fn, actor, machine, type, import, ...), found identifier `Here`\") and every stray backtick is an `InvalidLiteral`.",
    },
  ],
  templates,
} satisfies FailureCategory;
