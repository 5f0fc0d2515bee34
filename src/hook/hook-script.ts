import { EXIT_UNCHECKED } from "../validate/report.js";

/** The line that marks a pre-commit hook as written by hew-corpus: only such a hook is replaced silently. */
export const HOOK_MARKER = "# hew-corpus pre-commit hook";

/** An existing hook moved aside by `hook install --chain`; the hew-corpus hook runs it first. */
export const CHAINED_HOOK = "pre-commit.before-hew-corpus";

/**
 * How the hook reaches the hew-corpus CLI:
 * - `local`: the project's own install (`node_modules/.bin/hew-corpus`), a path relative to the repository top,
 *   so the hook runs the version the project pins and survives moving the clone;
 * - `command`: an explicit command recorded at install time (a global install, or a checkout of hew-corpus).
 */
export type HookCli = { kind: "local"; path: string } | { kind: "command"; argv: string[] };

export interface HookScriptOptions {
  cli: HookCli;
  /** Folder to validate from, relative to the repository top (where the corpus config is); "." for the top. */
  dir: string;
}

/** Quote one word for POSIX sh. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** The file the hook must find before it can run: a missing one means "run npm install" or "reinstall the hook". */
function requiredFile(cli: HookCli): { path: string; hint: string } {
  if (cli.kind === "local") return { path: `"$top"/${shellQuote(cli.path)}`, hint: "run npm install" };
  const script = cli.argv.at(-1) ?? "";
  return { path: shellQuote(script), hint: "run hew-corpus hook install again" };
}

function cliWords(cli: HookCli): string {
  return cli.kind === "local" ? `"$top"/${shellQuote(cli.path)}` : cli.argv.map(shellQuote).join(" ");
}

/**
 * The hook: a POSIX shell script, so that it runs wherever git does. It judges what is staged (git's index,
 * including the temporary index of `git commit -a`), and fails closed: a missing CLI refuses the commit
 * with the way out, rather than letting unchecked samples through.
 */
export function renderHookScript({ cli, dir }: HookScriptOptions): string {
  const required = requiredFile(cli);
  const cd = dir === "." ? `cd "$top" || exit 1` : `cd "$top"/${shellQuote(dir)} || exit 1`;
  return `#!/bin/sh
${HOOK_MARKER}, written by \`hew-corpus hook install\`.
# Refuses a commit whose staged corpus samples fail \`hew check\` (verdict lock and cache first).
# Skip it once with \`git commit --no-verify\`; remove it with \`hew-corpus hook uninstall\`.
previous="$(dirname "$0")/${CHAINED_HOOK}"
if [ -x "$previous" ]; then
  "$previous" "$@" || exit $?
fi
top=$(git rev-parse --show-toplevel) || exit 1
${cd}
required=${required.path}
if [ ! -e "$required" ]; then
  echo "hew-corpus: pre-commit hook cannot find $required: ${required.hint} (or skip this check once with git commit --no-verify)" >&2
  exit 1
fi
${cliWords(cli)} validate --staged
status=$?
skip="or skip this check once with git commit --no-verify"
case "$status" in
  0) ;;
  1) echo "hew-corpus: commit refused: fix the samples listed above, $skip" >&2 ;;
  ${EXIT_UNCHECKED}) echo "hew-corpus: commit refused: no Hew compiler could check the new code (see the note above): install hew, or point at it with HEW_BIN=PATH or \\\`hew:\\\` in hew-corpus.config.yaml; $skip" >&2 ;;
  *) echo "hew-corpus: commit refused: fix the problem listed above, $skip" >&2 ;;
esac
exit "$status"
`;
}
