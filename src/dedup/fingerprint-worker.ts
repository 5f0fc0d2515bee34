// Fingerprints one slice of a corpus off the main thread (see fingerprint-pool.ts).
import { parentPort, workerData } from "node:worker_threads";
import { fingerprint, signatureOf, type PromptAndCode, type ShinglingOptions } from "./fingerprint.js";

const { inputs, options } = workerData as { inputs: PromptAndCode[]; options: ShinglingOptions };
const PROGRESS_EVERY = 1000;
const fingerprints = inputs.map((input, i) => {
  const fp = fingerprint(input, options);
  signatureOf(fp, "code");
  if ((i + 1) % PROGRESS_EVERY === 0) parentPort!.postMessage({ progress: PROGRESS_EVERY });
  return fp;
});
parentPort!.postMessage({ progress: inputs.length % PROGRESS_EVERY, fingerprints });
