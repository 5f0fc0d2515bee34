import { UserError } from "../util/errors.js";
import { isAbort } from "../util/abort.js";

/** One controller per process: Ctrl-C cancels the running command through its signal. */
export function interruptSignal(): AbortSignal {
  const controller = new AbortController();
  process.once("SIGINT", () => controller.abort());
  process.once("SIGTERM", () => controller.abort());
  return controller.signal;
}

/**
 * Run a command body and turn its outcome into an exit code: a user's mistake prints one clear message,
 * a cancel exits 130, and only a bug in hew-corpus shows a stack trace.
 */
export async function runCommand(body: () => Promise<number | void>): Promise<void> {
  try {
    process.exitCode = (await body()) ?? 0;
  } catch (err) {
    if (err instanceof UserError) {
      process.stderr.write(`hew-corpus: ${err.message}\n`);
      process.exitCode = err.exitCode;
    } else if (isAbort(err)) {
      process.stderr.write("hew-corpus: cancelled\n");
      process.exitCode = 130;
    } else {
      throw err;
    }
  }
}
