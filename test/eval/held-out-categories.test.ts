/**
 * Failing answers in the style of held-out model output (Rust habits, prose and markdown between the items
 * of a program), with the real checker's verdicts recorded beside them: each must land in its category,
 * not in `other`. With a real hew, the recordings are checked against it again.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { classifyFailure } from "../../src/failures/classify.js";
import type { Diagnostic } from "../../src/schema/diagnostic.js";
import { REPO_ROOT } from "../helpers/fixtures.js";
import { REAL_HEW, SKIP_REASON } from "../helpers/real-hew.js";

const DIR = join(REPO_ROOT, "test", "fixtures", "eval", "held-out");
const RECORDS = readFileSync(join(DIR, "verdicts.jsonl"), "utf8")
  .split("\n")
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as { file: string; category: string; compiler: string; diagnostics: Diagnostic[] });
const code = (file: string) => readFileSync(join(DIR, file), "utf8");

describe("held-out style failures get their category", () => {
  it.each(RECORDS.map((r) => [r.file, r] as const))("%s", (_, record) => {
    const result = classifyFailure(code(record.file), { diagnostics: record.diagnostics });
    expect(result.category).toBe(record.category);
    expect(result.evidence.length).toBeGreaterThan(0);
  });

  it.skipIf(!REAL_HEW)(`the recorded verdicts are what the real hew says (${REAL_HEW ?? SKIP_REASON})`, async () => {
    for (const record of RECORDS) {
      const { stdout } = await promisify(execFile)(REAL_HEW!, ["check", "--format=json", join(DIR, record.file)]).catch((e: { stdout: string }) => e);
      const codes = (JSON.parse(stdout) as Diagnostic[]).map((d) => [d.code, d.message]);
      expect(codes, record.file).toEqual(record.diagnostics.map((d) => [d.code, d.message]));
    }
  }, 120_000);
});
