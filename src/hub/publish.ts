import { existsSync, openAsBlob } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import type { LocatedSample } from "../chatml/jsonl.js";
import type { RunRecord, TrainingOutcome } from "../schema/run.js";
import { UserError } from "../util/errors.js";
import { sha256Hex } from "../util/hash.js";
import type { HubConnection } from "./connection.js";
import { renderDatasetCard } from "./dataset-card.js";
import { exportComposition, readExport } from "./export-contents.js";
import { renderModelCard } from "./model-card.js";
import { pushFiles, type PushResult } from "./transfer.js";

const CARD = "README.md";

export interface PushOptions {
  /** `namespace/name` */
  repo: string;
  /** Create the repository private (a repository that exists keeps its visibility). */
  private?: boolean;
  license?: string;
}

export interface PushDatasetOptions extends PushOptions {
  exportDir: string;
  /** The corpus the export read, for the card's composition. */
  corpus: readonly LocatedSample[];
}

export interface PushedFiles extends PushResult {
  files: string[];
}

/** Upload an export (its JSONL and ChatML files and manifest) with a dataset card, in one commit. */
export async function pushDataset(connection: HubConnection, options: PushDatasetOptions): Promise<PushedFiles> {
  const contents = await readExport(options.exportDir);
  const card = renderDatasetCard({ repo: options.repo, manifest: contents.manifest, composition: exportComposition(contents.manifest, options.corpus), license: options.license });
  const files = [...contents.files, { path: CARD, content: new Blob([card]) }];
  const title = `hew-corpus: ${contents.manifest.funnel.exported} samples, system prompt ${contents.manifest.systemPrompt.id}`;
  const pushed = await pushFiles(connection, { type: "dataset", name: options.repo }, files, title, { private: options.private });
  return { ...pushed, files: files.map((f) => f.path) };
}

export interface PushAdapterOptions extends PushOptions {
  runId: string;
  runs: readonly RunRecord[];
  registryFile: string;
  baseModel?: string;
}

function trainingRun(options: PushAdapterOptions): RunRecord & { training: TrainingOutcome } {
  const run = options.runs.find((r) => r.id === options.runId);
  if (!run) throw new UserError(`${options.registryFile}: no run ${options.runId} (hew-corpus runs lists them)`);
  if (!run.training) {
    const parent = run.kind === "eval" && run.parent ? `; it evaluates ${run.parent}, whose adapter you may mean` : "";
    throw new UserError(`${options.runId} is an eval run and has no adapter${parent}`);
  }
  return run as RunRecord & { training: TrainingOutcome };
}

/** Upload a training run's GGUF adapter with a model card that holds its eval table, in one commit. */
export async function pushAdapter(connection: HubConnection, options: PushAdapterOptions): Promise<PushedFiles> {
  const run = trainingRun(options);
  const { path, sha256 } = run.training.adapter;
  if (!existsSync(path)) throw new UserError(`${path}: the adapter of ${run.id} is not there any more`);
  // Hashing reads the whole file once; a changed adapter must not go out under this run's card.
  if (sha256Hex(await readFile(path)) !== sha256) throw new UserError(`${path} changed since ${run.id} recorded it (sha256 differs): not publishing it as ${run.id}`);
  const adapterFile = basename(path);
  const card = renderModelCard({ repo: options.repo, run, runs: options.runs, adapterFile, baseModel: options.baseModel, license: options.license });
  const files = [
    { path: adapterFile, content: await openAsBlob(path) },
    { path: CARD, content: new Blob([card]) },
  ];
  const pushed = await pushFiles(connection, { type: "model", name: options.repo }, files, `hew-corpus: adapter ${run.id}`, { private: options.private });
  return { ...pushed, files: files.map((f) => f.path) };
}
