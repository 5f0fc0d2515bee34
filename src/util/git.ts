import { execFile, spawn } from "node:child_process";
import { promisify } from "node:util";
import { UserError, errorMessage } from "./errors.js";

const run = promisify(execFile);

function gitMissing(err: unknown): UserError | undefined {
  return (err as NodeJS.ErrnoException).code === "ENOENT" ? new UserError("git is not installed (or not on PATH); install git") : undefined;
}

/** Run git in `cwd` and return its stdout; a failure is the user's (no repository, no git) and says which command. */
export async function git(args: readonly string[], cwd?: string): Promise<string> {
  try {
    const { stdout } = await run("git", args, { cwd, maxBuffer: 256 * 1024 * 1024 });
    return stdout;
  } catch (err) {
    const missing = gitMissing(err);
    if (missing) throw missing;
    // git says what went wrong on stderr; the error's own message only repeats the command.
    const stderr = (err as { stderr?: unknown }).stderr;
    const reason = typeof stderr === "string" && stderr.trim() ? stderr.trim() : errorMessage(err);
    throw new UserError(`git ${args.join(" ")} failed: ${reason.split("\n")[0]}`);
  }
}

/**
 * The bytes of many git objects at once, in the order asked, through one `git cat-file --batch`: one process
 * for a whole corpus instead of one `git show` per file.
 */
export function gitBlobs(objects: readonly string[], cwd?: string): Promise<Buffer[]> {
  if (objects.length === 0) return Promise.resolve([]);
  return new Promise((resolvePromise, reject) => {
    const child = spawn("git", ["cat-file", "--batch"], { cwd, stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", (err) => reject(gitMissing(err) ?? err));
    child.on("close", (code) => {
      if (code !== 0) return reject(new UserError(`git cat-file --batch failed: ${stderr.trim().split("\n")[0] || `exit ${code}`}`));
      const all = Buffer.concat(out);
      const blobs: Buffer[] = [];
      let at = 0;
      for (const object of objects) {
        const eol = all.indexOf(10, at);
        const header = all.subarray(at, eol).toString();
        // `<oid> <type> <size>`, or `<object> missing`.
        const size = Number(header.split(" ")[2]);
        if (eol < 0 || !Number.isInteger(size)) return reject(new UserError(`git cat-file --batch: cannot read ${object}: ${header}`));
        blobs.push(all.subarray(eol + 1, eol + 1 + size));
        at = eol + 1 + size + 1;
      }
      resolvePromise(blobs);
    });
    child.stdin.end(objects.join("\n") + "\n");
  });
}
