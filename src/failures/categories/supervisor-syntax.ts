import type { FailureCategory } from "../category.js";
import templates from "../templates/supervisor-syntax.js";

export default {
  id: "supervisor-syntax",
  title: "Supervisor syntax from other languages",
  description:
    "Supervisors written with Erlang, Akka or Rust-library fields (`children: [..]`, `restart_policy:`, `max_restarts:`) instead of `strategy:`, `intensity: N within d` and `child name: Actor(..)` lines, or child specs the supervisor checks reject.",
  matchers: [
    { description: "an unknown or replaced supervisor field", codes: ["Other"], message: /unknown supervisor field|supervisor field `[^`]+` was replaced/ },
    { description: "a supervisor child or strategy check", where: (d) => /^Supervisor[A-Z]/.test(d.code) },
  ],
  rules: [
    {
      id: "supervisor-syntax",
      text: "Supervisors are declarations: `supervisor Crew { strategy: one_for_one; intensity: 3 within 30s; child a: Worker(id: 1); child b: Worker(id: 2) restart: temporary shutdown: 2s; }` (other strategies: `one_for_all`, `rest_for_one`), with no `children: [...]`, `restart_policy:` or `max_restarts:`. Start it with `let s = spawn Crew;`, reach children as `let w = s.a;`, and stop it with `supervisor_stop(s);`.",
      short: "`supervisor S { strategy: one_for_one; intensity: 3 within 30s; child a: W(id: 1); }`.",
      reason: "Fields from Erlang/Akka/Rust libraries are `Other` \"unknown supervisor field: ...\".",
    },
    {
      id: "supervisor-children",
      text: "Child init arguments must be integer or bool literals (no strings, variables or Vecs), and a child with the default `permanent` restart may not have string, Vec or HashMap fields; give such actors `restart: transient` or `restart: temporary`.",
      reason: "A string child arg fails at MIR (`NotYetImplemented` \"... supported child init values are literals and config-field reads\"); heap fields on a permanent child are `SupervisorPermanentOwnedHeap`.",
    },
  ],
  templates,
} satisfies FailureCategory;
