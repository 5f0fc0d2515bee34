import type { Verdict } from "../schema/verdict.js";

const SHAPE_LENGTH = 100;

/**
 * A message with its particulars blanked (names in backticks or quotes, numbers), so that
 * "no method `sum` on `Vec<i64>`" and "no method `first` on `Vec<string>`" read as one shape.
 */
export function messageShape(message: string): string {
  const shape = message
    .replace(/`[^`]*`/g, "`_`")
    .replace(/"[^"]*"/g, '"_"')
    .replace(/'[^']*'/g, "'_'")
    .replace(/\b\d+\b/g, "N")
    .replace(/\s+/g, " ")
    .trim();
  return shape.length > SHAPE_LENGTH ? `${shape.slice(0, SHAPE_LENGTH - 1)}…` : shape;
}

/** `CODE: message shape` of the first error: the key under which failures no category explains are grouped. */
export function failureGroup(verdict: Verdict): string {
  const first = verdict.diagnostics.find((d) => d.severity === "error");
  if (first) return `${first.code}: ${messageShape(first.message)}`;
  const line = verdict.stderr.split("\n").find((l) => l.trim() !== "");
  return line ? `stderr: ${messageShape(line)}` : "no diagnostic";
}
