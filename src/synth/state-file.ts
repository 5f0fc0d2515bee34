import { existsSync } from "node:fs";
import { appendFile, mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { SynthStateLineSchema, type SynthTask, type TaskRecord, type TokenUsage } from "../schema/synth.js";
import { parseJsonLines } from "../util/json-lines.js";
import { readTextFile } from "../util/read-text.js";

export interface SynthState {
  /** The task list the run started with, when it was generated (a task file is read again instead). */
  tasks?: { tasks: SynthTask[]; usage: TokenUsage };
  /** Finished tasks by id; a rerun does not ask the teacher about these again. */
  done: Map<string, TaskRecord>;
}

/**
 * The state of an interrupted run. The file is a journal: one line is appended per finished task, so a
 * kill can cut at most the line being written, and that torn last line is ignored (its task runs again).
 */
export async function readSynthState(file: string): Promise<SynthState> {
  const state: SynthState = { done: new Map() };
  if (!existsSync(file)) return state;
  let text = await readTextFile(file, "synth state file");
  if (!text.endsWith("\n")) text = text.slice(0, text.lastIndexOf("\n") + 1);
  for (const { value } of parseJsonLines(text, file, SynthStateLineSchema)) {
    if (value.kind === "tasks") state.tasks = { tasks: value.tasks, usage: value.usage };
    else state.done.set(value.record.taskId, value.record);
  }
  return state;
}

export class SynthStateWriter {
  private queue: Promise<void> = Promise.resolve();

  constructor(readonly file: string) {}

  private append(line: unknown): Promise<void> {
    // One write at a time, whole lines only: concurrent tasks finish in any order.
    this.queue = this.queue.then(async () => {
      await mkdir(dirname(this.file), { recursive: true });
      await appendFile(this.file, JSON.stringify(line) + "\n");
    });
    return this.queue;
  }

  writeTasks(tasks: readonly SynthTask[], usage: TokenUsage): Promise<void> {
    return this.append({ kind: "tasks", tasks, usage });
  }

  writeDone(record: TaskRecord): Promise<void> {
    return this.append({ kind: "done", record });
  }
}
