import type { z } from "zod";

/**
 * A mistake in the user's input or environment. The CLI prints its message as is, without a stack trace;
 * anything else that escapes is a bug in hew-corpus and keeps its stack.
 */
export class UserError extends Error {
  override readonly name = "UserError";
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

export interface SourcePosition {
  file: string;
  line?: number;
}

export function formatPosition({ file, line }: SourcePosition): string {
  return line === undefined ? file : `${file}:${line}`;
}

export function formatIssuePath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "(top level)";
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join("");
}

/** One line per issue: `file:line: field.path: what was expected`. */
export function formatZodIssues(
  issues: readonly z.core.$ZodIssue[],
  position: SourcePosition | ((path: readonly PropertyKey[]) => SourcePosition),
): string {
  return issues
    .map((issue) => {
      const where = typeof position === "function" ? position(issue.path) : position;
      return `${formatPosition(where)}: ${formatIssuePath(issue.path)}: ${issue.message}`;
    })
    .join("\n");
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
