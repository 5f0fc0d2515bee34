import { z } from "zod";
import { DiagnosticSchema } from "./diagnostic.js";

/** Which program produced a verdict: `hew` for the real compiler, anything else is not it. */
export const CheckerIdSchema = z.strictObject({
  name: z.string().min(1),
  version: z.string().min(1),
});
export type CheckerId = z.infer<typeof CheckerIdSchema>;

export const VerdictStatusSchema = z.enum(["pass", "fail", "checker-error"]);
export type VerdictStatus = z.infer<typeof VerdictStatusSchema>;

/** Where a verdict came from in this run: the checker ran now, or it was recorded earlier. */
export const VerdictOriginSchema = z.enum(["checked", "cache", "lock"]);
export type VerdictOrigin = z.infer<typeof VerdictOriginSchema>;

export const VerdictSchema = z.strictObject({
  status: VerdictStatusSchema,
  diagnostics: z.array(DiagnosticSchema),
  /** A bounded excerpt of the checker's stderr. */
  stderr: z.string(),
  checker: CheckerIdSchema,
  /** sha256 of the checked code, hex. */
  codeHash: z.string().regex(/^[0-9a-f]{64}$/),
  durationMs: z.number().nonnegative(),
  /** Why a checker-error happened (timeout, crash, bad output, ...). */
  reason: z.string().optional(),
  /** When the checker produced this verdict (ISO 8601). */
  checkedAt: z.string(),
  origin: VerdictOriginSchema.default("checked"),
});
export type Verdict = z.infer<typeof VerdictSchema>;
