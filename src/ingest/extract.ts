import fg from "fast-glob";
import { existsSync } from "node:fs";
import { dirname, extname, join, relative } from "node:path";
import { findFences } from "../chatml/code-blocks.js";
import type { IngestSkip } from "../schema/ingest.js";
import type { RequestOrigin, SampleCategory, SampleSource } from "../schema/sample.js";
import { readTextFile } from "../util/read-text.js";

/** A program found in a source, with the request its surroundings give it, if any. */
export interface FoundProgram {
  /** Path inside the source, `/`-separated. */
  path: string;
  /** 1-based line of the code's first line, for a Markdown block. */
  line?: number;
  code: string;
  kind: Extract<SampleSource, "docs" | "compiler-tests" | "repository">;
  /** From the doc comment or the Markdown before the block. */
  request?: { text: string; origin: Extract<RequestOrigin, "doc-comment" | "markdown"> };
  /** Why it is not checked on its own. */
  skip?: { reason: IngestSkip; detail: string };
}

export const DEFAULT_INCLUDE = ["**/*.hew", "**/*.md"];
export const DEFAULT_EXCLUDE = ["**/node_modules/**", "**/.git/**", "**/target/**", "**/.hew/**"];

const TEST_PATH = /(^|\/)(tests?|test-?suite|spec)(\/|$)|_test\.hew$/;
// A module that is neither the standard library nor built in: it lives in a file beside this one.
const LOCAL_IMPORT = /^\s*import\s+(?!std[.;\s])([A-Za-z_][\w.]*)/m;
const LEGAL = /SPDX-License-Identifier|copyright|\(c\)/i;

/** A request from what describes the program, in the words of a user asking for it. */
function asRequest(description: string): string {
  const text = description.replace(/\s+/g, " ").trim().replace(/:$/, ".");
  return `Write a Hew program: ${text}${/[.!?]$/.test(text) ? "" : "."}`;
}

/** The comment lines a file opens with (`//!`, `///` or `//`), without licence headers. */
export function leadingDocComment(code: string): string | undefined {
  const lines: string[] = [];
  for (const line of code.split("\n")) {
    const m = /^\s*\/\/[/!]?\s?(.*)$/.exec(line);
    if (!m) {
      if (line.trim() === "" && lines.length === 0) continue;
      break;
    }
    if (/hew:allow|hew-stand-in:/.test(m[1]!) || LEGAL.test(m[1]!)) continue;
    lines.push(m[1]!);
  }
  const text = lines.join(" ").trim();
  return text.split(/\s+/).length >= 3 ? text : undefined;
}

/** The paragraph or heading just before offset `start` of a Markdown text (back to the previous block). */
export function textBefore(markdown: string, start: number): string | undefined {
  const lines = markdown.slice(0, start).split("\n");
  lines.pop();
  lines.pop(); // the opening fence line
  const paragraph: string[] = [];
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!.trim();
    if (/^(`{3,}|~{3,})/.test(line)) break;
    if (line === "") {
      if (paragraph.length > 0) break;
      continue;
    }
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    if (heading) {
      if (paragraph.length === 0) paragraph.unshift(heading[1]!);
      break;
    }
    paragraph.unshift(line);
  }
  const text = paragraph.join(" ").replace(/[*_`]/g, "").trim();
  return text === "" ? undefined : text;
}

function packageRoot(file: string, sourceDir: string): string | undefined {
  for (let dir = dirname(file); dir.startsWith(sourceDir); dir = dirname(dir)) {
    if (existsSync(join(dir, "hew.toml"))) return dir;
    if (dir === sourceDir) break;
  }
  return undefined;
}

function skipOf(code: string, file: string, sourceDir: string): FoundProgram["skip"] {
  if (code.trim() === "") return { reason: "empty", detail: "no code" };
  const pkg = packageRoot(file, sourceDir);
  if (pkg) return { reason: "package", detail: `part of the package at ${relative(sourceDir, pkg) || "."} (hew.toml): its files are checked together, not one by one` };
  const local = LOCAL_IMPORT.exec(code);
  if (local) return { reason: "local-import", detail: `imports ${local[1]}, a module of the source itself` };
  return undefined;
}

const withNewline = (code: string) => (code.endsWith("\n") ? code : `${code}\n`);

/** Every `.hew` file and ```hew block of Markdown the globs select, in path order. */
export async function findPrograms(sourceDir: string, include: readonly string[], exclude: readonly string[]): Promise<{ files: number; programs: FoundProgram[] }> {
  const paths = (await fg([...include], { cwd: sourceDir, ignore: [...exclude], onlyFiles: true, dot: false })).sort();
  const programs: FoundProgram[] = [];
  for (const path of paths) {
    const file = join(sourceDir, path);
    const text = await readTextFile(file, "source file");
    const kind = TEST_PATH.test(path) ? "compiler-tests" : "repository";
    if (extname(path) === ".hew") {
      const doc = leadingDocComment(text);
      const code = withNewline(text);
      programs.push({ path, code, kind, ...(doc ? { request: { text: asRequest(doc), origin: "doc-comment" } } : {}), skip: skipOf(code, file, sourceDir) });
      continue;
    }
    for (const fence of findFences(text)) {
      if (fence.lang !== "hew" || fence.unterminated) continue;
      const code = withNewline(fence.code);
      // The block's own doc comment says more about it than the prose around it.
      const doc = leadingDocComment(code);
      const before = doc ? undefined : textBefore(text, fence.start);
      const request = doc ? { text: asRequest(doc), origin: "doc-comment" as const } : before ? { text: asRequest(before), origin: "markdown" as const } : undefined;
      programs.push({ path, line: fence.line, code, kind: "docs", ...(request ? { request } : {}), skip: skipOf(code, file, sourceDir) });
    }
  }
  return { files: paths.length, programs };
}

const CATEGORY_MARKERS: [RegExp, SampleCategory][] = [
  [/\bsupervisor\s+\w/, "supervisors"],
  [/\bmachine\s+\w/, "state-machines"],
  [/#\[wire\]/, "wire-types"],
  [/\bgen\s+fn\b/, "generators"],
  [/\bextern\s+"C"/, "extern-ffi"],
  [/#\[test\]/, "tests"],
  [/\bactor\s+\w/, "actors"],
  [/\bscope\s*\{|\bfork\s+\w/, "concurrency"],
];

/** The area a program teaches, from the constructs it uses; `general` when none stands out. */
export function guessCategory(code: string): SampleCategory {
  return CATEGORY_MARKERS.find(([re]) => re.test(code))?.[1] ?? "general";
}
