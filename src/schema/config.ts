import { z } from "zod";
import { DedupConfigSchema } from "./dedup.js";
import { ExportConfigSchema } from "./export.js";
import { EvalConfigSchema } from "./eval.js";
import { IngestConfigSchema, SynthConfigSchema } from "./synth.js";

export const CONFIG_FILE = "hew-corpus.config.yaml";

export const ConfigSchema = z.strictObject({
  /** Globs of sample JSONL files, relative to the config file. */
  corpus: z.array(z.string().min(1)).min(1).default(["corpus/samples/**/*.jsonl"]),
  /** Folder of system-prompt versions (one YAML file each). */
  systemPrompts: z.string().default("corpus/system-prompts"),
  /** The eval prompt set. */
  evalPrompts: z.string().default("corpus/eval/prompts.yaml"),
  /** The hew binary: a path, or a name looked up on PATH. HEW_BIN and --hew override it. */
  hew: z.string().min(1).default("hew"),
  /** Checks at once; defaults to the machine's available parallelism. */
  concurrency: z.number().int().positive().optional(),
  cacheDir: z.string().default(".hew-corpus/cache"),
  /** The verdict lock shipped with the corpus; used when the file exists. */
  lock: z.string().default("corpus/verdicts.lock.jsonl"),
  /** Per-check time limit. */
  timeoutMs: z.number().int().positive().default(30_000),
  dedup: DedupConfigSchema.default(DedupConfigSchema.parse({})),
  export: ExportConfigSchema.default(ExportConfigSchema.parse({})),
  /** The eval loop: model, sampling and where runs are saved. */
  eval: EvalConfigSchema.prefault({}),
  /** Growing the corpus: the teacher model, its limits, and where admitted samples go. */
  synth: SynthConfigSchema.prefault({}),
  ingest: IngestConfigSchema.prefault({}),
});
export type Config = z.infer<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;
