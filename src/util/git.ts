import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { UserError, errorMessage } from "./errors.js";

const run = promisify(execFile);

/** Run git in `cwd` and return its stdout; a failure is the user's (no repository, no git) and says which command. */
export async function git(args: readonly string[], cwd?: string): Promise<string> {
  try {
    const { stdout } = await run("git", args, { cwd, maxBuffer: 256 * 1024 * 1024 });
    return stdout;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") throw new UserError("git is not installed (or not on PATH); install git");
    // git says what went wrong on stderr; the error's own message only repeats the command.
    const stderr = (err as { stderr?: unknown }).stderr;
    const reason = typeof stderr === "string" && stderr.trim() ? stderr.trim() : errorMessage(err);
    throw new UserError(`git ${args.join(" ")} failed: ${reason.split("\n")[0]}`);
  }
}
