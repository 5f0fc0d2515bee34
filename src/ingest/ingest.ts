import { basename, resolve } from "node:path";
import { loadConfig, type LoadedConfig } from "../config.js";
import { extractCodeBlocks } from "../chatml/code-blocks.js";
import { appendSamples } from "../corrections/corpus-file.js";
import { fenced } from "../corrections/generate.js";
import { ModelRequestError, type ModelClient } from "../eval/model-client.js";
import type { IngestFunnel } from "../schema/ingest.js";
import type { RequestOrigin, Sample } from "../schema/sample.js";
import { TeacherSpecSchema, type TeacherSpecInput, type TokenUsage } from "../schema/synth.js";
import { UserError, formatZodIssues } from "../util/errors.js";
import { sha256Hex } from "../util/hash.js";
import type { Checker } from "../validate/checker.js";
import { formatCheckerId } from "../validate/checker.js";
import { createJudge } from "../validate/judge.js";
import { openChecker } from "../validate/open-checker.js";
import { describeDiagnostic } from "../validate/report.js";
import { loadGrowContext } from "../synth/gate.js";
import { emptyUsage, openTeacher, teacherLabel, TeacherConversation } from "../synth/teacher.js";
import { DEFAULT_EXCLUDE, DEFAULT_INCLUDE, findPrograms, guessCategory, type FoundProgram } from "./extract.js";
import { openSource } from "./source.js";

export interface IngestOptions {
  config?: LoadedConfig;
  cwd?: string;
  /** A folder, or a git repository URL (cloned shallow). */
  source: string;
  include?: readonly string[];
  exclude?: readonly string[];
  /** Back-translation: a program with no request of its own gets one from this teacher (default: none, a template). */
  teacher?: TeacherSpecInput;
  checker?: Checker;
  hew?: string;
  cache?: boolean;
  checkConcurrency?: number;
  out?: string;
  dryRun?: boolean;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export type ProgramOutcome = "admitted" | "skipped" | "failed" | "checker-error" | "unchecked" | "duplicate" | "leak";

export interface ProgramDecision {
  path: string;
  line?: number;
  outcome: ProgramOutcome;
  detail?: string;
  sample?: Sample;
}

export interface IngestResult {
  source: { label: string; commit?: string; licence?: string };
  funnel: IngestFunnel;
  decisions: ProgramDecision[];
  admitted: Sample[];
  usage: TokenUsage;
  /** Back-translation requests the teacher did not answer (those programs got the template request). */
  teacherErrors: string[];
  written?: { file: string; added: number; total: number };
}

const BACK_TRANSLATE =
  "Here is a Hew program. Write the request a user would have sent that this program answers: one to three sentences, concrete, no code, no mention of Hew's compiler. Answer with the request only.";

function slug(text: string): string {
  return text
    .replace(/\.[a-z]+$/i, "")
    .replace(/[^A-Za-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .toLowerCase()
    .slice(0, 60);
}

/** The request a program is paired with: its own words, else the teacher's, else a template. */
interface BackTranslator {
  client: ModelClient;
  label: string;
  conversation: TeacherConversation;
  /** Why requests failed; the programs got the template instead. */
  errors: string[];
}

async function requestFor(program: FoundProgram, teacher: BackTranslator | undefined): Promise<{ text: string; origin: RequestOrigin; teacher?: string }> {
  if (program.request) return program.request;
  if (teacher) {
    try {
      const answer = (await teacher.conversation.ask([{ role: "user", content: `${BACK_TRANSLATE}\n\n${fenced(program.code)}` }])).content.trim().replace(/^"(.*)"$/s, "$1");
      if (answer !== "" && !answer.includes("```")) return { text: answer, origin: "teacher", teacher: teacher.label };
    } catch (err) {
      // A teacher that cannot answer leaves the template; the program itself is still worth having.
      if (!(err instanceof ModelRequestError)) throw err;
      teacher.errors.push(`${program.path}: ${err.message}`);
    }
  }
  return { text: `Write the Hew program \`${basename(program.path)}\`${program.line ? ` from its documentation` : ""}.`, origin: "template" };
}

function emptyFunnel(): IngestFunnel {
  return { files: 0, programs: 0, skipped: {}, checked: 0, passed: 0, failed: 0, checkerError: 0, unchecked: 0, duplicates: 0, leaks: 0, admitted: 0 };
}

/**
 * Turn the Hew programs of a folder or repository into samples: `.hew` files and ```hew blocks of its
 * Markdown, each checked by hew; only a passing program that is no duplicate of the corpus and leaks no
 * eval item is admitted, paired with a request from its doc comment or the Markdown before it (else the
 * teacher's back-translation, else a template), with its source, path, commit and licence in `meta`.
 */
export async function ingestPrograms(options: IngestOptions): Promise<IngestResult> {
  const loaded = options.config ?? (await loadConfig(options.cwd));
  const { config, root } = loaded;
  const out = resolve(root, options.out ?? config.ingest.out);
  let teacher: BackTranslator | undefined;
  if (options.teacher) {
    const parsed = TeacherSpecSchema.safeParse(options.teacher);
    if (!parsed.success) throw new UserError(formatZodIssues(parsed.error.issues, { file: "teacher" }));
    const client = openTeacher(parsed.data, { timeoutMs: config.synth.timeoutMs, retries: config.synth.retries, env: options.env });
    teacher = { client, label: teacherLabel(parsed.data), conversation: new TeacherConversation(client, { seed: 0, signal: options.signal }), errors: [] };
  }
  const source = await openSource(options.source, options.cwd);
  const checker = options.checker ?? (await openChecker(loaded, { hew: options.hew, cache: options.cache, concurrency: options.checkConcurrency })).checker;
  try {
    await checker.identify({ signal: options.signal });
    const { files, programs } = await findPrograms(source.dir, options.include ?? DEFAULT_INCLUDE, [...DEFAULT_EXCLUDE, ...(options.exclude ?? [])]);
    const context = await loadGrowContext(loaded, [out]);
    const judge = createJudge(checker, { signal: options.signal });
    let done = 0;
    options.onProgress?.(0, programs.length);
    const judged = await Promise.all(
      programs.map(async (p) => {
        const judgement = p.skip ? undefined : await judge(p.code);
        options.onProgress?.(++done, programs.length);
        return judgement;
      }),
    );

    const funnel = emptyFunnel();
    funnel.files = files;
    funnel.programs = programs.length;
    const ids = programs.map((p) => `ingest-${slug(p.path)}${p.line ? `-l${p.line}` : ""}-${sha256Hex(p.code).slice(0, 8)}`);
    // Programs ingested from this source before are judged again, not counted as their own duplicates.
    const gate = context.gate(new Set(ids));
    const decisions: ProgramDecision[] = [];
    const admitted: Sample[] = [];
    for (const [i, program] of programs.entries()) {
      const at = { path: program.path, ...(program.line ? { line: program.line } : {}) };
      if (program.skip) {
        funnel.skipped[program.skip.reason] = (funnel.skipped[program.skip.reason] ?? 0) + 1;
        decisions.push({ ...at, outcome: "skipped", detail: `${program.skip.reason}: ${program.skip.detail}` });
        continue;
      }
      const judgement = judged[i]!;
      if (!judgement.verdict) {
        funnel.unchecked++;
        decisions.push({ ...at, outcome: "unchecked", detail: judgement.unchecked });
        continue;
      }
      funnel.checked++;
      const verdict = judgement.verdict;
      if (verdict.status === "checker-error") {
        funnel.checkerError++;
        decisions.push({ ...at, outcome: "checker-error", detail: verdict.reason });
        continue;
      }
      if (verdict.status === "fail") {
        funnel.failed++;
        const first = verdict.diagnostics.find((d) => d.severity === "error");
        decisions.push({ ...at, outcome: "failed", detail: first ? describeDiagnostic(first) : "failed without a diagnostic" });
        continue;
      }
      const request = await requestFor(program, teacher);
      const sample: Sample = {
        id: ids[i]!,
        messages: [
          { role: "user", content: request.text },
          { role: "assistant", content: fenced(program.code) },
        ],
        meta: {
          category: guessCategory(program.code),
          source: program.kind,
          tags: ["ingested"],
          provenance: {
            ...(request.teacher ? { teacher: request.teacher } : {}),
            repo: source.label,
            ...at,
            ...(source.commit ? { commit: source.commit } : {}),
            ...(source.licence ? { licence: source.licence } : {}),
            request: request.origin,
            checker: formatCheckerId(verdict.checker),
          },
        },
      };
      // What ships must be byte for byte what was checked.
      const shipped = extractCodeBlocks(sample.messages).map((b) => b.code);
      if (shipped.length !== 1 || shipped[0] !== program.code) {
        funnel.skipped["not-hew"] = (funnel.skipped["not-hew"] ?? 0) + 1;
        decisions.push({ ...at, outcome: "skipped", detail: "not-hew: the program cannot be written as one ```hew block" });
        continue;
      }
      funnel.passed++;
      const decision = gate.consider(sample);
      if (!decision.admit) {
        if (decision.reason === "duplicate") funnel.duplicates++;
        else funnel.leaks++;
        decisions.push({ ...at, outcome: decision.reason, detail: decision.reason === "duplicate" ? `duplicate of ${decision.of}` : `leaks eval prompt ${decision.evalIds.join(", ")}` });
        continue;
      }
      funnel.admitted++;
      admitted.push(sample);
      decisions.push({ ...at, outcome: "admitted", sample });
    }
    let written: IngestResult["written"];
    if (!options.dryRun) {
      const { added, total } = await appendSamples(out, admitted);
      written = { file: out, added: added.length, total };
    }
    const usage = teacher?.conversation.usage ?? emptyUsage();
    return {
      source: { label: source.label, ...(source.commit ? { commit: source.commit } : {}), ...(source.licence ? { licence: source.licence } : {}) },
      funnel,
      decisions,
      admitted,
      usage,
      teacherErrors: teacher?.errors ?? [],
      ...(written ? { written } : {}),
    };
  } finally {
    await teacher?.client.close();
    if (!options.checker) await checker.close?.();
    await source.close();
  }
}
