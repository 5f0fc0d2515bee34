import { z } from "zod";

/** Exactly the `hew check --format=json` contract (hew-facts 1.5). Unknown extra keys are kept. */
export const SpanSchema = z.looseObject({
  start_line: z.number().int(),
  start_col: z.number().int(),
  end_line: z.number().int(),
  end_col: z.number().int(),
  start_byte: z.number().int(),
  end_byte: z.number().int(),
});
export type Span = z.infer<typeof SpanSchema>;

export const NoteSchema = z.looseObject({
  message: z.string(),
  span: SpanSchema.optional(),
});
export type Note = z.infer<typeof NoteSchema>;

export const EditSchema = z.looseObject({
  span: SpanSchema,
  new_text: z.string(),
});
export type Edit = z.infer<typeof EditSchema>;

export const FixSchema = z.looseObject({
  title: z.string(),
  edits: z.array(EditSchema),
});
export type Fix = z.infer<typeof FixSchema>;

export const SeveritySchema = z.enum(["error", "warning"]);
export type Severity = z.infer<typeof SeveritySchema>;

export const DiagnosticSchema = z.looseObject({
  code: z.string(),
  severity: SeveritySchema,
  source: z.string(),
  file: z.string(),
  span: SpanSchema,
  message: z.string(),
  notes: z.array(NoteSchema),
  fixes: z.array(FixSchema),
});
export type Diagnostic = z.infer<typeof DiagnosticSchema>;

/** The whole stdout of `hew check --format=json`. */
export const DiagnosticArraySchema = z.array(DiagnosticSchema);

export const ZERO_SPAN: Span = { start_line: 0, start_col: 0, end_line: 0, end_col: 0, start_byte: 0, end_byte: 0 };
