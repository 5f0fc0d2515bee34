import type { FailureCategory } from "../category.js";
import templates from "../templates/yield-outside-gen.js";

export default {
  id: "yield-outside-gen",
  title: "`yield` outside a generator",
  description:
    "Lazy sequences written without `gen fn`: `yield` in a plain fn, `main` or a `receive fn`, `gen {}` where it is not allowed, or a Rust `impl Iterator` with `next(&mut self)`.",
  matchers: [
    { description: "`yield` outside a generator", codes: ["YieldOutsideGenerator", "GenBlockInActorReceive", "EmptyGenerator"] },
    {
      description: "a Rust `impl Iterator` instead of a generator",
      where: (d, source) => d.source === "hew-parser" && /^\s*impl\s+Iterator\s+for\s+\w+/m.exec(source.code)?.[0].trim(),
    },
  ],
  rules: [
    {
      id: "generators",
      text: "`yield` is only legal inside `gen fn name(args) -> T` (T is the element type), consumed with `for x in name(args) { }`; never `yield` from a plain fn, `main` or a `receive fn`, and do not build an `impl Iterator` with `next(&mut self)`.",
      short: "`yield` only in `gen fn f() -> T`, used as `for x in f() { }`.",
      reason: "`YieldOutsideGenerator` (\"`yield` outside of generator function\"), often with a `Mismatch` on the return type.",
    },
  ],
  templates,
} satisfies FailureCategory;
