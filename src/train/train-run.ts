import { existsSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { readExportManifest, verifyExportFile } from "../export/manifest-file.js";
import { MANIFEST_FILE } from "../export/write.js";
import type { EvalResults, RunRecord } from "../schema/run.js";
import type { TrainConfig } from "../schema/train.js";
import { sha256Hex } from "../util/hash.js";
import type { TrainOptions, TrainingBackend } from "./backend.js";
import { readTrainingJsonl } from "./dataset.js";
import { LlamaCppBackend } from "./llama-backend.js";
import { DEFAULT_REGISTRY, RunRegistry } from "./run-registry.js";
import { loadTrainConfig } from "./run-config.js";
import { runFolder } from "./run-folder.js";


export interface CorpusIdentity {
  hash: string;
  systemPromptVersion?: string;
}

/** The corpus hash and prompt version from the export manifest beside the dataset, else the file's own hash. */
export async function corpusIdentity(dataset: string, bytes: Uint8Array): Promise<CorpusIdentity> {
  const manifestFile = join(dirname(dataset), MANIFEST_FILE);
  if (!existsSync(manifestFile)) return { hash: sha256Hex(bytes) };
  const manifest = await readExportManifest(manifestFile);
  verifyExportFile(manifest, manifestFile, basename(dataset), dataset, bytes);
  return { hash: manifest.corpusHash, systemPromptVersion: manifest.systemPrompt.id };
}

/** Everything that shapes the trained weights; a checkpoint resumes only under the same fingerprint. */
function fingerprint(config: TrainConfig, datasetHash: string, baseModelSize: number): string {
  const { outputDir: _o, registry: _r, threads: _t, gpuLayers: _g, backend: _b, amdgpuTargets: _a, cudaArchitectures: _c, ...shaping } = config;
  return sha256Hex(JSON.stringify({ shaping, datasetHash, baseModelSize }));
}

export interface TrainRunOptions extends TrainOptions {
  /** run.yaml */
  configFile: string;
  resume?: boolean;
  /** The registry file; the config's `registry`, else runs/registry.jsonl in `defaultRoot`. */
  registry?: string;
  /**
   * Measures the new adapter once it is recorded (`train --eval`); its results are stored in the same run
   * record. Training does not depend on how the measuring is done.
   */
  evaluate?: (record: RunRecord) => Promise<EvalResults>;
  /** Folder of the corpus config, where the default registry lives. */
  defaultRoot: string;
  backend?: TrainingBackend;
}

/**
 * Train one run from its config and record it: adapter, losses, speed and build in the run registry, then the
 * eval results when `evaluate` is given. Returns the record as stored.
 */
export async function trainRun(options: TrainRunOptions): Promise<RunRecord> {
  const startedAt = new Date().toISOString();
  const { config } = await loadTrainConfig(options.configFile);
  const conversations = await readTrainingJsonl(config.dataset);
  const bytes = await readFile(config.dataset);
  const corpus = await corpusIdentity(config.dataset, bytes);
  const registry = new RunRegistry(resolve(options.registry ?? config.registry ?? join(options.defaultRoot, DEFAULT_REGISTRY)));
  await registry.list(); // a broken registry is reported before hours of training, not after

  const outputDir = await runFolder(config, options.configFile, options.resume ?? false);
  const backend = options.backend ?? new LlamaCppBackend();
  const result = await backend.train(
    { config, conversations, outputDir, resume: options.resume ?? false, fingerprint: fingerprint(config, sha256Hex(bytes), statSync(config.baseModel).size) },
    options,
  );
  const adapterSha = sha256Hex(await readFile(result.adapterPath));
  const record = await registry.append({
    kind: "train",
    startedAt,
    finishedAt: new Date().toISOString(),
    corpus: { hash: corpus.hash, dataset: config.dataset, sampleCount: conversations.length, ...(corpus.systemPromptVersion ? { systemPromptVersion: corpus.systemPromptVersion } : {}) },
    training: {
      config,
      adapter: { path: result.adapterPath, sha256: adapterSha },
      losses: result.losses,
      initialValidationLoss: result.initialValidationLoss,
      steps: result.steps,
      samples: { train: result.samples.train, validation: result.samples.validation, skipped: result.samples.skipped },
      tokensPerSecond: result.tokensPerSecond,
      contextTokensPerSecond: result.contextTokensPerSecond,
      wallTimeMs: result.wallTimeMs,
      backend: { name: result.build.backend, flags: result.build.flags, llamaCommit: result.build.llamaCommit, systemInfo: result.build.systemInfo, devices: result.build.devices, offloadedLayers: result.build.offloadedLayers },
      chatTemplate: result.chatTemplate,
      dropout: result.dropout,
      ...(result.resumedFrom ? { resumedFrom: result.resumedFrom } : {}),
    },
  });
  if (!options.evaluate) return record;
  const results = await options.evaluate(record);
  return registry.update(record.id, (r) => ({ ...r, eval: results }));
}
