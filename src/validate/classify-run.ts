import { DiagnosticArraySchema, ZERO_SPAN, type Diagnostic } from "../schema/diagnostic.js";
import type { VerdictStatus } from "../schema/verdict.js";
import type { ProcessResult } from "./run-process.js";

export const STDERR_EXCERPT_BYTES = 4096;

export function excerpt(text: string, limit = STDERR_EXCERPT_BYTES): string {
  if (text.length <= limit) return text;
  return `${text.slice(0, limit)}\n... (${text.length - limit} more characters)`;
}

const PREFIXED = /^(E_[A-Z0-9_]+):\s*(.*)$/;
const PLAIN_ERROR = /^Error:\s*(.*)$/;

/**
 * Errors that `hew` prints as text on stderr outside the JSON array (codegen-front `E_CODEGEN_FRONT_*`
 * lines, package `Error: ...` lines), as diagnostics with a zero span.
 */
export function stderrDiagnostics(stderr: string, file: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const line of stderr.split("\n")) {
    const text = line.trim();
    const prefixed = PREFIXED.exec(text);
    const plain = prefixed ? undefined : PLAIN_ERROR.exec(text);
    if (!prefixed && !plain) continue;
    out.push({
      code: prefixed ? prefixed[1]! : "E_MESSAGE",
      severity: "error",
      source: "hew",
      file,
      span: ZERO_SPAN,
      // The code is its own field; a message that repeated it would print it twice.
      message: prefixed ? prefixed[2]! : text,
      notes: [],
      fixes: [],
    });
  }
  return out;
}

export interface RunClassification {
  status: VerdictStatus;
  diagnostics: Diagnostic[];
  reason?: string;
}

function checkerError(reason: string): RunClassification {
  return { status: "checker-error", diagnostics: [], reason };
}

/** The verdict rules of `hew check --format=json` (hew-facts 1.2, 1.5, 2.5). */
export function classifyRun(run: ProcessResult, file: string, timeoutMs: number): RunClassification {
  if (run.spawnError) return checkerError(`could not start the checker: ${run.spawnError.message}`);
  if (run.timedOut) return checkerError(`timed out after ${timeoutMs} ms`);
  if (run.overflowed) return checkerError("output exceeded the size limit; the checker was killed");
  if (run.signal) return checkerError(`killed by signal ${run.signal}`);
  if (run.exitCode !== 0 && run.exitCode !== 1) {
    const first = run.stderr.trim().split("\n")[0] ?? "";
    return checkerError(`exit code ${run.exitCode}${first ? `: ${first}` : ""}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(run.stdout);
  } catch {
    const shown = run.stdout.trim() === "" ? "empty stdout" : `stdout is not JSON: ${excerpt(run.stdout.trim(), 120)}`;
    return checkerError(`output is not the hew check JSON contract (${shown})`);
  }
  const diagnostics = DiagnosticArraySchema.safeParse(parsed);
  if (!diagnostics.success) {
    const issue = diagnostics.error.issues[0]!;
    return checkerError(`output is not the hew check JSON contract (at ${issue.path.join(".") || "top level"}: ${issue.message})`);
  }
  const all = [...diagnostics.data, ...stderrDiagnostics(run.stderr, file)];
  const errors = all.filter((d) => d.severity === "error");
  if (run.exitCode === 0) {
    if (errors.length > 0) return checkerError(`exit code 0 with ${errors.length} error diagnostic(s)`);
    return { status: "pass", diagnostics: all };
  }
  if (errors.length === 0) return checkerError("exit code 1 without any error diagnostic");
  return { status: "fail", diagnostics: all };
}
