import { extname } from "node:path";
import { proseWords } from "../dedup/terms.js";
import { ModelRequestError, type ModelClient } from "../eval/model-client.js";
import type { EvalAnswer } from "../schema/eval.js";
import type { SampleCategory } from "../schema/sample.js";
import { SynthTaskFileSchema, SynthTaskSchema, type SynthTask, type SynthTaskInput, type TokenUsage } from "../schema/synth.js";
import { UserError } from "../util/errors.js";
import { sha256Hex } from "../util/hash.js";
import { parseJsonLines } from "../util/json-lines.js";
import { readTextFile } from "../util/read-text.js";
import { parseYamlText } from "../util/yaml-file.js";
import { TeacherConversation } from "./teacher.js";

/** A request's words, lower-cased: two requests that differ only in punctuation or case are one. */
export function requestKey(request: string): string {
  return proseWords(request).join(" ");
}

/** A task as given, with its id: the given one, else one derived from category and request (stable across runs). */
export function withTaskId(task: SynthTaskInput): SynthTask {
  const parsed = SynthTaskSchema.parse(task);
  return { ...parsed, id: parsed.id ?? `${parsed.category}-${sha256Hex(requestKey(parsed.request)).slice(0, 12)}` };
}

function uniqueIds(tasks: readonly SynthTask[], file: string): SynthTask[] {
  const seen = new Set<string>();
  for (const t of tasks) {
    if (seen.has(t.id)) throw new UserError(`${file}: task id "${t.id}" appears twice (two tasks with the same category and request, or the same id)`);
    seen.add(t.id);
  }
  return [...tasks];
}

/** A task list: YAML (`tasks: [...]`) or JSONL (one task per line); every problem names file:line. */
export async function loadTaskFile(file: string): Promise<SynthTask[]> {
  const text = await readTextFile(file, "task file");
  const tasks = extname(file) === ".jsonl" ? parseJsonLines(text, file, SynthTaskSchema).map((l) => l.value) : parseYamlText(text, file, SynthTaskFileSchema).tasks;
  return uniqueIds(tasks.map(withTaskId), file);
}

/** The eval categories a run failed in, most failures first, with the failure categories seen there. */
export function failingCategories(answers: readonly EvalAnswer[]): { category: SampleCategory; failures: string[] }[] {
  const by = new Map<SampleCategory, { misses: number; failures: Set<string> }>();
  for (const a of answers) {
    if (a.outcome === "pass") continue;
    const entry = by.get(a.category) ?? { misses: 0, failures: new Set<string>() };
    entry.misses++;
    if (a.failureCategory) entry.failures.add(a.failureCategory);
    by.set(a.category, entry);
  }
  return [...by.entries()].sort((a, b) => b[1].misses - a[1].misses).map(([category, e]) => ({ category, failures: [...e.failures].sort() }));
}

export interface GenerateTasksOptions {
  teacher: ModelClient;
  categories: readonly { category: SampleCategory; failures?: readonly string[] }[];
  perCategory: number;
  seed: number;
  /** Requests already in the corpus and the eval set: a generated request that repeats one is dropped. */
  existing: Iterable<string>;
  signal?: AbortSignal;
}

const LIST_ITEM = /^\s*(?:\d+[.)]|[-*•])\s+/;

/** The requests of a teacher's numbered or bulleted list, one per line. */
export function parseRequestList(text: string): string[] {
  return text
    .split("\n")
    .filter((l) => LIST_ITEM.test(l))
    .map((l) => l.replace(LIST_ITEM, "").replace(/^"(.*)"$/, "$1").trim())
    .filter((l) => proseWords(l).length >= 4);
}

function generationRequest(category: SampleCategory, n: number, failures: readonly string[] | undefined, seed: number): string {
  const focus = failures && failures.length > 0 ? ` The requests should exercise what models get wrong there: ${failures.join(", ")}.` : "";
  return [
    `Write ${n} distinct requests a user might send asking for a complete Hew program in the area "${category}".${focus}`,
    "Each request is one or two sentences, concrete (names, numbers, expected output), and different in subject from the others.",
    `Answer with a numbered list and nothing else. (Variation ${seed}.)`,
  ].join(" ");
}

/**
 * New tasks from the teacher: per category it is asked for a list of distinct user requests; requests that
 * repeat an existing prompt, an eval prompt or each other are dropped. A teacher error names the category.
 */
export async function generateTasks(options: GenerateTasksOptions): Promise<{ tasks: SynthTask[]; usage: TokenUsage; repeated: number }> {
  const seen = new Set([...options.existing].map(requestKey));
  const conversation = new TeacherConversation(options.teacher, { seed: options.seed, signal: options.signal });
  const tasks: SynthTask[] = [];
  let repeated = 0;
  for (const { category, failures } of options.categories) {
    let answer: string;
    try {
      answer = (await conversation.ask([{ role: "user", content: generationRequest(category, options.perCategory, failures, options.seed) }])).content;
    } catch (err) {
      if (err instanceof ModelRequestError) throw new UserError(`asking the teacher for ${category} requests: ${err.message}`);
      throw err;
    }
    let kept = 0;
    for (const request of parseRequestList(answer)) {
      if (kept === options.perCategory) break;
      const key = requestKey(request);
      if (seen.has(key)) {
        repeated++;
        continue;
      }
      seen.add(key);
      kept++;
      tasks.push(withTaskId({ category, request, tags: ["generated", ...(failures ?? []).map((f) => `fights:${f}`)] }));
    }
  }
  return { tasks, usage: conversation.usage, repeated };
}
