import { z } from "zod";

/** Why a program found in a source was not checked at all. */
export const IngestSkipSchema = z.enum(["package", "local-import", "empty", "not-hew"]);
export type IngestSkip = z.infer<typeof IngestSkipSchema>;

const count = z.number().int().nonnegative();

/** Programs found, then left at each gate; every drop is counted under one reason. */
export const IngestFunnelSchema = z.strictObject({
  files: count,
  programs: count,
  skipped: z.partialRecord(IngestSkipSchema, count),
  checked: count,
  passed: count,
  failed: count,
  checkerError: count,
  unchecked: count,
  duplicates: count,
  leaks: count,
  admitted: count,
});
export type IngestFunnel = z.infer<typeof IngestFunnelSchema>;
