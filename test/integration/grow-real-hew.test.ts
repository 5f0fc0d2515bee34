import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { sampleCode } from "../../src/dedup/terms.js";
import { ingestPrograms } from "../../src/ingest/ingest.js";
import { synthesizeCorpus } from "../../src/synth/synthesize.js";
import { hewChecker } from "../../src/validate/hew-checker.js";
import { REAL_HEW, SKIP_REASON } from "../helpers/real-hew.js";
import { startLoopbackTeacher, type LoopbackTeacher } from "../../support/loopback-teacher.js";
import { fixtureRepo } from "../ingest/ingest-fixture.js";
import { program, scriptedReply, synthProject } from "../synth/synth-project.js";

describe.skipIf(!REAL_HEW)(`synth and ingest with the real hew (${REAL_HEW ? REAL_HEW : SKIP_REASON})`, () => {
  const checker = hewChecker({ bin: REAL_HEW ?? "hew", concurrency: 2 });
  const teachers: LoopbackTeacher[] = [];
  afterAll(async () => {
    await Promise.all(teachers.map((t) => t.close()));
    await checker.close?.();
  });

  it("repairs with the real diagnostics and admits only what the real hew passes", async () => {
    const teacher = await startLoopbackTeacher(scriptedReply);
    teachers.push(teacher);
    const dir = await synthProject({ url: teacher.url, model: "teacher-model" });
    const result = await synthesizeCorpus({ config: await loadConfig(dir), tasksFile: join(dir, "tasks.yaml"), checker, retryDelayMs: 1 });
    // The program the stand-in has no record of is judged for real here: it passes.
    expect(result.funnel).toMatchObject({ tasks: 8, passedFirstTry: 4, passedAfterRepair: [1, 1], failed: 1, noCode: 1, checkerError: 0, duplicates: 1, leaks: 1, admitted: 4 });
    for (const sample of result.admitted) {
      const verdict = await checker.check(sampleCode(sample)[0]!);
      expect(verdict.status).toBe("pass");
      expect(sample.meta.provenance?.checker).toMatch(/^hew 0\./);
    }
    const clock = result.admitted.find((s) => sampleCode(s)[0] === program("clock-right"))!;
    expect(clock.meta.provenance?.fixedCodes).toEqual(["UndefinedType", "MutabilityError"]);
  });

  it("ingests the fixture repository with the same verdicts as recorded", async () => {
    const dir = await synthProject({ url: "http://127.0.0.1:9", model: "m" });
    const repo = await fixtureRepo();
    const result = await ingestPrograms({ config: await loadConfig(dir), source: repo.dir, checker, dryRun: true });
    expect(result.funnel).toMatchObject({ programs: 10, checked: 8, passed: 6, failed: 2, duplicates: 1, leaks: 1, admitted: 4 });
  });
});
