import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { parseSamplesJsonl } from "../../src/chatml/jsonl.js";
import { sampleCode } from "../../src/dedup/terms.js";
import { leadingDocComment, textBefore } from "../../src/ingest/extract.js";
import { ingestPrograms, type IngestOptions } from "../../src/ingest/ingest.js";
import { formatIngestResult } from "../../src/ingest/report.js";
import { sha256Hex } from "../../src/util/hash.js";
import { hewChecker } from "../../src/validate/hew-checker.js";
import { STAND_IN, runCli, tempDir } from "../helpers/fixtures.js";
import { FIXTURES, fixtureRepo, ingestStandInEnv } from "./ingest-fixture.js";
import { startLoopbackTeacher, type LoopbackTeacher } from "../../support/loopback-teacher.js";
import { recordedPasses, synthProject } from "../synth/synth-project.js";

let indexDir: string;
let teacher: LoopbackTeacher | undefined;

beforeAll(async () => {
  indexDir = join(await tempDir("hew-ingest-index-"), "index");
});

afterEach(async () => {
  await teacher?.close();
  teacher = undefined;
});

async function setUp(teacherUrl = "http://127.0.0.1:9") {
  const project = await synthProject({ url: teacherUrl, model: "teacher-model" });
  const config = await loadConfig(project);
  const repo = await fixtureRepo();
  const run = (extra: Partial<IngestOptions> = {}) =>
    ingestPrograms({ config, source: repo.dir, checker: hewChecker({ bin: STAND_IN, concurrency: 2, env: ingestStandInEnv(indexDir) }), ...extra });
  return { project, repo, run };
}

describe("finding requests", () => {
  it("reads a file's opening comment, without licence lines", () => {
    expect(leadingDocComment("// SPDX-License-Identifier: MIT\n//! Print the first ten squares.\n//! One per line.\nfn main() {}\n")).toBe("Print the first ten squares. One per line.");
    expect(leadingDocComment("fn main() {}\n// Print the first ten squares.\n")).toBeUndefined();
  });

  it("takes the paragraph before a block, or the heading when the block follows it directly", () => {
    const md = "# Title\n\nSome intro.\n\n## Sorting three numbers\n\n```hew\nfn main() {}\n```\n";
    expect(textBefore(md, md.indexOf("fn main"))).toBe("Sorting three numbers");
    const md2 = "## Heading\n\nSort three numbers\nand print them:\n```hew\nfn main() {}\n```\n";
    expect(textBefore(md2, md2.indexOf("fn main"))).toBe("Sort three numbers and print them:");
  });
});

describe("ingest of the fixture repository with the stand-in", () => {
  it("checks every program, skips packages and local imports with a reason, and admits only passing, new, leak-free ones", async () => {
    const { repo, project, run } = await setUp();
    const result = await run();
    expect(result.funnel).toEqual({
      files: 9,
      programs: 10,
      skipped: { package: 1, "local-import": 1 },
      checked: 8,
      passed: 6,
      failed: 2,
      checkerError: 0,
      unchecked: 0,
      duplicates: 1,
      leaks: 1,
      admitted: 4,
    });
    const by = (path: string) => result.decisions.find((d) => d.path === path)!;
    expect(by("pkg/src/main.hew")).toMatchObject({ outcome: "skipped" });
    expect(by("pkg/src/main.hew").detail).toContain("hew.toml");
    expect(by("examples/uses-helpers.hew").detail).toContain("imports helpers");
    expect(by("examples/broken.hew")).toMatchObject({ outcome: "failed" });
    expect(by("examples/fizz.hew")).toMatchObject({ outcome: "duplicate" });
    expect(by("examples/temperature.hew")).toMatchObject({ outcome: "leak" });

    const passes = recordedPasses(FIXTURES);
    const written = parseSamplesJsonl(readFileSync(join(project, "samples", "ingested.jsonl"), "utf8"), "ingested.jsonl").map((l) => l.sample);
    expect(written).toHaveLength(4);
    for (const s of written) {
      expect(sampleCode(s)).toHaveLength(1);
      expect(passes.has(sha256Hex(sampleCode(s)[0]!))).toBe(true);
      expect(s.meta.provenance).toMatchObject({ repo: repo.dir, commit: repo.commit, licence: "LICENSE" });
    }
    const readme = written.find((s) => s.meta.provenance?.path === "README.md")!;
    expect(readme.messages[0]!.content).toBe("Write a Hew program: Print a greeting for each of three names, numbered from one.");
    expect(readme.meta).toMatchObject({ source: "docs", provenance: { line: 10, request: "markdown" } });
    const guide = written.find((s) => s.meta.provenance?.path === "docs/guide.md")!;
    expect(guide.meta.provenance?.request).toBe("doc-comment");
    expect(guide.messages[0]!.content).toMatch(/^Write a Hew program: Print the numbers 1 to 15, but Fizz/);
    const tests = written.find((s) => s.meta.provenance?.path === "tests/even_numbers.hew")!;
    expect(tests.meta.source).toBe("compiler-tests");
    const plain = written.find((s) => s.meta.provenance?.path === "examples/max-of.hew")!;
    expect(plain.meta.provenance?.request).toBe("template");
    expect(plain.messages[0]!.content).toBe("Write the Hew program `max-of.hew`.");

    // A second ingest of the same source adds nothing.
    const again = await run();
    expect(again.written).toMatchObject({ added: 0, total: 4 });
    expect(again.funnel.admitted).toBe(4);
  });

  it("asks the teacher for the request of a program that has none (back-translation)", async () => {
    teacher = await startLoopbackTeacher(() => ({ content: "Find the largest of a few numbers in a vector and print it." }));
    const { run } = await setUp(teacher.url);
    const result = await run({ teacher: { url: teacher.url, model: "teacher-model" }, dryRun: true });
    const plain = result.admitted.find((s) => s.meta.provenance?.path === "examples/max-of.hew")!;
    expect(plain.messages[0]!.content).toBe("Find the largest of a few numbers in a vector and print it.");
    expect(plain.meta.provenance).toMatchObject({ request: "teacher", teacher: "openai:teacher-model" });
    // Only passing programs without a request of their own were sent: max-of, and temperature (then a leak).
    expect(teacher.requests).toHaveLength(2);
    expect(teacher.requests.map((r) => r.messages[0]!.content).filter((c) => c.includes("largest(values"))).toHaveLength(1);
    expect(result.usage).toEqual({ requests: 2, promptTokens: 200, completionTokens: 100 });
    expect(result.teacherErrors).toEqual([]);
  });

  it("falls back to the template when the teacher refuses, and says so", async () => {
    teacher = await startLoopbackTeacher(() => ({ status: 401 }));
    const { run } = await setUp(teacher.url);
    const result = await run({ teacher: { url: teacher.url, model: "teacher-model" }, dryRun: true });
    const plain = result.admitted.find((s) => s.meta.provenance?.path === "examples/max-of.hew")!;
    expect(plain.meta.provenance?.request).toBe("template");
    expect(result.teacherErrors[0]).toMatch(/^examples\/max-of\.hew: HTTP 401/);
    expect(formatIngestResult(result)).toContain("requests unanswered, template used instead");
  });

  it("clones a repository URL shallow and records the URL and commit; a dry run writes nothing", async () => {
    const { repo, project, run } = await setUp();
    const url = pathToFileURL(repo.dir).href;
    const result = await run({ source: url, dryRun: true });
    expect(result.source).toEqual({ label: url, commit: repo.commit, licence: "LICENSE" });
    expect(result.admitted.every((s) => s.meta.provenance?.repo === url)).toBe(true);
    expect(result.written).toBeUndefined();
    expect(existsSync(join(project, "samples", "ingested.jsonl"))).toBe(false);
    expect(formatIngestResult(result, { dryRun: true })).toContain("would admit README.md:10");
  });

  it("the CLI prints the funnel and says what a dry run would admit", async () => {
    const { repo, project } = await setUp();
    const cli = await runCli(["ingest", repo.dir, "--dry-run", "--exclude", "tests/**"], { cwd: project, env: ingestStandInEnv(indexDir) });
    expect(cli.stderr).toContain("dry run: 3 samples would be admitted");
    expect(cli.code).toBe(0);
    expect(cli.stdout).toMatch(/admitted\s+3/);
    expect(cli.stdout).toContain("skipped: package");
    expect(existsSync(join(project, "samples", "ingested.jsonl"))).toBe(false);
  });

  it("names a missing source plainly", async () => {
    const { project } = await setUp();
    const cli = await runCli(["ingest", "no-such-folder"], { cwd: project, env: ingestStandInEnv(indexDir) });
    expect(cli.code).toBe(2);
    expect(cli.stderr.trim()).toBe("hew-corpus: no-such-folder: not a folder or a repository URL");
  });
});
