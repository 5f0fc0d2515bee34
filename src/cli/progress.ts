import cliProgress from "cli-progress";
import type { PipelineStage } from "../export/pipeline.js";

export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

/**
 * A progress bar on stderr when it is a terminal; otherwise silent (CI logs, pipes, git hooks), or, with
 * `lineEvery`, a plain line each time that many more are done, so a long run off a terminal shows it is alive.
 */
export function createProgress(label: string, enabled = Boolean(process.stderr.isTTY), lineEvery?: number): Progress {
  if (!enabled && lineEvery) {
    let printed = 0;
    return {
      update(done, total) {
        if (done === printed || (done - printed < lineEvery && done !== total)) return;
        printed = done;
        process.stderr.write(`${label}: ${done}/${total}\n`);
      },
      stop() {},
    };
  }
  if (!enabled) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {value}/{total} {percentage}% eta {eta_formatted}`, stream: process.stderr, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total) {
      if (!started) {
        bar.start(total, done);
        started = true;
      } else {
        bar.setTotal(total);
        bar.update(done);
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

/** One bar per stage of a multi-stage run, each labelled, the previous one stopped when the next starts. */
export function createStageProgress<S extends string>(labels: Record<S, string>): { update(stage: S, done: number, total: number): void; stop(): void } {
  let stage: S | undefined;
  let bar: Progress | undefined;
  return {
    update(now, done, total) {
      if (now !== stage) {
        bar?.stop();
        bar = createProgress(labels[now]);
        stage = now;
      }
      bar!.update(done, total);
    },
    stop() {
      bar?.stop();
    },
  };
}

const PIPELINE_STAGES: Record<PipelineStage, string> = { validate: "validate", fingerprint: "fingerprint", dedup: "minhash", tokens: "tokens" };

/** Run the export funnel (stats, dedup, export, report) with a bar per stage, stopped however it ends. */
export async function withPipelineProgress<T>(run: (onProgress: (stage: PipelineStage, done: number, total: number) => void) => Promise<T>): Promise<T> {
  const progress = createStageProgress(PIPELINE_STAGES);
  try {
    return await run(progress.update);
  } finally {
    progress.stop();
  }
}
