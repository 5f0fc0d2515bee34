/**
 * The training process: loads the native addon, runs one job and reports over IPC. Training lives here, not in
 * the CLI's process, so the CLI's event loop stays free and a crash inside llama.cpp cannot take it down.
 */
import { UserError, errorMessage } from "../util/errors.js";
import type { TrainingEvent, TrainingJob, TrainingResult } from "./backend.js";
import { loadBinding } from "./native/binding.js";
import type { NativeAddon } from "./native/build.js";
import { TrainingCancelled, runTraining } from "./train-loop.js";

export type WorkerRequest = { type: "start"; job: TrainingJob; addon: NativeAddon; verbose: boolean } | { type: "cancel" };
export type WorkerReply =
  | { type: "event"; event: TrainingEvent }
  | { type: "done"; result: TrainingResult }
  | { type: "cancelled" }
  | { type: "failed"; message: string; userError: boolean };

let cancelled = false;
// Ctrl-C reaches the whole process group: finish the current step and keep the last checkpoint
process.on("SIGINT", () => {
  cancelled = true;
});
// the parent went away: nobody is left to receive the result
process.on("disconnect", () => {
  cancelled = true;
});

function reply(message: WorkerReply): void {
  process.send?.(message);
}

process.on("message", (message: WorkerRequest) => {
  if (message.type === "cancel") {
    cancelled = true;
    return;
  }
  const binding = loadBinding(message.addon.path);
  binding.setVerbose(message.verbose);
  runTraining(message.job, { binding, addon: message.addon, emit: (event) => reply({ type: "event", event }), cancelled: () => cancelled })
    .then((result: TrainingResult) => reply({ type: "done", result }))
    .catch((err: unknown) => {
      if (err instanceof TrainingCancelled) reply({ type: "cancelled" });
      else reply({ type: "failed", message: err instanceof Error && !(err instanceof UserError) ? (err.stack ?? err.message) : errorMessage(err), userError: err instanceof UserError });
    })
    .finally(() => process.disconnect?.());
});
