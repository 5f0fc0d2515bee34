import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { LoadedConfig } from "../config.js";
import { RunRecordSchema, type NewRunRecord, type RunRecord } from "../schema/run.js";
import { writeFileAtomic } from "../util/atomic-write.js";
import { UserError } from "../util/errors.js";
import { parseJsonLines } from "../util/json-lines.js";
import { readTextFile } from "../util/read-text.js";

export const DEFAULT_REGISTRY = join("runs", "registry.jsonl");

/**
 * The run registry: one JSONL file, one record per run, ids v1, v2, ... in order. Every change rewrites the
 * whole file through a temp file and a rename, so readers never see half a record.
 */
export class RunRegistry {
  constructor(readonly file: string) {}

  async list(): Promise<RunRecord[]> {
    if (!existsSync(this.file)) return [];
    return parseJsonLines(await readTextFile(this.file, "run registry"), this.file, RunRecordSchema).map(({ value }) => value);
  }

  async get(id: string): Promise<RunRecord | undefined> {
    return (await this.list()).find((r) => r.id === id);
  }

  /** Add a record with the next id (one more than the highest so far). */
  async append(record: NewRunRecord): Promise<RunRecord> {
    const records = await this.list();
    const next = records.reduce((max, r) => Math.max(max, Number(r.id.slice(1))), 0) + 1;
    const full = RunRecordSchema.parse({ ...record, id: `v${next}` });
    await this.write([...records, full]);
    return full;
  }

  /** Replace a record, e.g. to attach eval results to the training run they measure. */
  async update(id: string, change: (record: RunRecord) => RunRecord): Promise<RunRecord> {
    const records = await this.list();
    const i = records.findIndex((r) => r.id === id);
    if (i < 0) throw new UserError(`${this.file}: no run ${id}`);
    const updated = RunRecordSchema.parse({ ...change(records[i]!), id });
    records[i] = updated;
    await this.write(records);
    return updated;
  }

  private async write(records: readonly RunRecord[]): Promise<void> {
    await writeFileAtomic(this.file, records.map((r) => JSON.stringify(r) + "\n").join(""));
  }
}

/** The registry a command reads: the given file (from where the user stands), else the default beside the config. */
export function openRegistry(loaded: LoadedConfig, file: string | undefined): RunRegistry {
  return new RunRegistry(file ? resolve(file) : join(loaded.root, DEFAULT_REGISTRY));
}
