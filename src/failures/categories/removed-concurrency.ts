import type { FailureCategory } from "../category.js";
import templates from "../templates/removed-concurrency.js";

export default {
  id: "removed-concurrency",
  title: "Removed or misplaced concurrency forms",
  description:
    "Structured concurrency from older Hew or from Rust: `scope |s| { s.launch(..) }`, `fork { }` blocks, `thread::spawn`, or `scope`/`fork` outside an actor handler (where a bare call inside `scope` is read as a spawn).",
  matchers: [
    { description: "the removed `scope |s|` handle form", codes: ["Other"], message: /'scope \|s\|.*has been removed/ },
    { description: "a `fork { }` block", codes: ["Other"], message: /`fork \{ \.\.\. \}` child-task blocks/ },
    {
      description: "Rust's `thread::spawn`",
      where: (d, source) => d.source === "hew-parser" && /\bthread\s*::\s*spawn\b/.exec(source.lineOf(d))?.[0],
    },
    {
      description: "a task spawn Hew cannot lower (fork outside an actor, or a bare call inside `scope`)",
      codes: ["TaskSpawnCalleeUnsupported", "TaskSpawnSignatureUnsupported", "ForkChildNotACall", "TaskCannotEscape", "ForkBorrowCapture", "TaskNotNameable"],
    },
  ],
  rules: [
    {
      id: "structured-concurrency",
      text: "Parallel tasks exist only inside an actor's `receive fn`: `scope { fork t = work(); let a = other(); let b = await t; }`, where the forked call takes no arguments. `scope |s|`, `s.launch`, `fork { }`, `thread::spawn` and `fork` in `main` do not exist; for more parallelism spawn actors and `join` them.",
      short: "`scope { fork t = f(); }` only in a `receive fn`; no `scope |s|`.",
      reason: "v1's `scope |s| { s.launch(..) }` is now `Other` \"'scope |s| { s.launch / s.spawn / s.cancel }' has been removed\"; `fork { }` is a parse error and `fork t = f(x)` fails at MIR (\"spawned call is not implemented\").",
    },
  ],
  templates,
} satisfies FailureCategory;
