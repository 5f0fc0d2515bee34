import type { z } from "zod";
import { UserError, errorMessage, formatZodIssues } from "./errors.js";

const MAX_ERRORS_SHOWN = 20;

/** Throw every collected `file:line: ...` problem at once, the first few spelled out. */
export function throwErrors(errors: readonly string[]): void {
  if (errors.length === 0) return;
  const shown = errors.slice(0, MAX_ERRORS_SHOWN);
  if (errors.length > MAX_ERRORS_SHOWN) shown.push(`... and ${errors.length - MAX_ERRORS_SHOWN} more lines with errors`);
  throw new UserError(shown.join("\n"));
}

/** Parse JSONL text, one schema-checked value per non-blank line; all problems are thrown together as one UserError. */
export function parseJsonLines<S extends z.ZodType>(text: string, file: string, schema: S): { value: z.infer<S>; line: number }[] {
  const out: { value: z.infer<S>; line: number }[] = [];
  const errors: string[] = [];
  text.split("\n").forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      errors.push(`${file}:${line}: invalid JSON: ${errorMessage(err)}`);
      return;
    }
    const result = schema.safeParse(value);
    if (result.success) out.push({ value: result.data, line });
    else errors.push(formatZodIssues(result.error.issues, { file, line }));
  });
  throwErrors(errors);
  return out;
}
