import { readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { stringify } from "yaml";
import { REPO_ROOT, STAND_IN, tempDir } from "../helpers/fixtures.js";
import { firstRequest, round, type TeacherReply, type TeacherRequest } from "../../support/loopback-teacher.js";

export const SYNTH_FIXTURES = join(REPO_ROOT, "test", "fixtures", "synth");

/** The stand-in answering from this topic's recorded verdicts (an index of its own, in `indexDir`). */
export function standInEnv(indexDir: string): NodeJS.ProcessEnv {
  return { ...process.env, HEW_STANDIN_VERDICTS: join(SYNTH_FIXTURES, "verdicts.jsonl"), HEW_STANDIN_INDEX: indexDir };
}

export function program(name: string): string {
  return readFileSync(join(SYNTH_FIXTURES, "programs", `${name}.hew`), "utf8");
}

interface RecordedVerdict {
  file: string;
  sha256: string;
  exitCode: number;
}

/** sha256 of every program of a fixture folder the real hew passed. */
export function recordedPasses(folder = SYNTH_FIXTURES): Set<string> {
  return new Set(
    readFileSync(join(folder, "verdicts.jsonl"), "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as RecordedVerdict)
      .filter((v) => v.exitCode === 0)
      .map((v) => v.sha256),
  );
}

const fence = (code: string) => "Here is the program:\n\n```hew\n" + code + "```\n";

/**
 * The tasks of the test teacher, by request, with the answers it gives turn by turn (the last one repeats):
 * right at once, wrong then right, wrong twice then right, always wrong, a corpus duplicate, an eval leak,
 * thinking only, and a program no compiler has judged.
 */
export const SCRIPT: Record<string, { category: string; answers: string[] }> = {
  "Sum the squares of 1 to 10 and print the total.": { category: "algorithms", answers: [fence(program("squares-pass"))] },
  "Collect two words in a vector and print how many there are.": { category: "data-structures", answers: [fence(program("tally-wrong")), fence(program("tally-right"))] },
  "Keep a tick counter, advance it once and print it.": {
    category: "general",
    answers: [fence(program("clock-wrong1")), fence(program("clock-wrong2")), fence(program("clock-right"))],
  },
  "Print the running total that was never declared.": { category: "general", answers: [fence(program("stubborn-wrong"))] },
  "Count down from five and then print liftoff.": { category: "algorithms", answers: [fence(program("countdown-pass"))] },
  "Convert 21.5 degrees Celsius to Fahrenheit and print it.": { category: "real-world", answers: [fence(program("leak-pass"))] },
  "Write an actor that keeps a running average.": { category: "actors", answers: ["<think>An actor holds state; it handles one message at a time.</think>"] },
  "Print a greeting that nobody has checked yet.": { category: "general", answers: [fence('fn main() {\n    println("not recorded anywhere");\n}\n')] },
};

export function scriptedTasks(): { category: string; request: string }[] {
  return Object.entries(SCRIPT).map(([request, { category }]) => ({ category, request }));
}

/** The teacher's answer to a request: the script's answer for its round. */
export function scriptedReply(request: TeacherRequest): TeacherReply {
  const entry = SCRIPT[firstRequest(request)];
  if (!entry) return { status: 400 };
  return { content: entry.answers[Math.min(round(request), entry.answers.length - 1)] };
}

/**
 * A user's project: the stand-in as hew, a corpus holding the countdown program, an eval prompt whose
 * reference is the temperature program, two system-prompt versions, and a teacher at `teacherUrl`.
 */
export async function synthProject(teacher: Record<string, unknown>): Promise<string> {
  const dir = await tempDir();
  const config = {
    hew: STAND_IN,
    corpus: ["samples/**/*.jsonl"],
    evalPrompts: "eval/prompts.yaml",
    systemPrompts: "system-prompts",
    cacheDir: ".cache",
    lock: "none.lock.jsonl",
    synth: { teacher, out: "samples/synthetic.jsonl", retries: 2 },
    ingest: { out: "samples/ingested.jsonl" },
  };
  await writeFile(join(dir, "hew-corpus.config.yaml"), stringify(config));
  await mkdir(join(dir, "samples"));
  const corpusSample = {
    id: "algorithms-countdown",
    messages: [
      { role: "user", content: "Write a countdown." },
      { role: "assistant", content: "```hew\n" + program("countdown-pass") + "```" },
    ],
    meta: { category: "algorithms", source: "handwritten", tags: [] },
  };
  await writeFile(join(dir, "samples", "base.jsonl"), JSON.stringify(corpusSample) + "\n");
  await mkdir(join(dir, "eval"));
  const prompts = [{ id: "real-world-temperature", category: "real-world", prompt: "Convert a temperature reading from Celsius to Fahrenheit.", reference: program("leak-pass") }];
  await writeFile(join(dir, "eval", "prompts.yaml"), stringify({ version: 1, prompts }));
  await mkdir(join(dir, "system-prompts"));
  await writeFile(join(dir, "system-prompts", "v1.yaml"), stringify({ id: "v1", preamble: "You write Hew.", rules: [] }));
  await writeFile(join(dir, "system-prompts", "v2.yaml"), stringify({ id: "v2", parent: "v1", preamble: "You write Hew.", rules: [{ id: "code-only", text: "Answer with code only.", addedIn: "v2" }] }));
  await writeFile(join(dir, "tasks.yaml"), stringify({ tasks: scriptedTasks() }));
  return dir;
}
