import type { FailureCategory } from "../category.js";
import templates from "../templates/integer-type.js";

export default {
  id: "integer-type",
  title: "Wrong primitive type names and numeric widths",
  description:
    "Type names from older Hew or Rust (`Int`, `int`, `String`, `Unit`) and numeric widths mixed without `as` (`i32` into `i64`, `usize` indexes), including mixed-width arithmetic that only fails at MIR.",
  matchers: [
    { description: "a removed or foreign primitive type name", codes: ["UndefinedType"], message: /unknown type `(Int|int|uint|Uint|String|str|Unit|byte|usize_t|Integer|Float|Bool|Char)`/ },
    { description: "a numeric width mixed without `as`", codes: ["Mismatch"], message: /cannot implicitly convert `\w+` to `\w+`/ },
    { description: "mixed-width arithmetic", codes: ["UnsupportedNode"], message: /integer binary result `\w+` disagrees with common operand type/ },
  ],
  rules: [
    {
      id: "int-types",
      text: "Primitive types are lowercase: `i64` (the default integer), `i32`, `u8`, `u64`, `f64`, `bool`, `char`, `string`, `duration`; `Int`, `int`, `String` and `Unit` do not exist (write `()` for unit).",
      short: "Types: `i64 i32 u8 f64 bool char string`; no `Int`, `String` or `Unit`.",
      reason: "`Int` was removed after 0.4; `Int`/`int`/`String`/`Unit` give `UndefinedType` (\"unknown type `Int`; use `i64` for fixed 64-bit integers ...\").",
    },
    {
      id: "numeric-casts",
      text: "There is no implicit numeric conversion: cast with `as` (`w as i64 * h as i64`, `total as f64`). `len()` returns i64 and indexes are i64, so never use usize for counters or indexes.",
      short: "Numbers never convert implicitly: write `w as i64`.",
      reason: "Width mixing gives `Mismatch` (\"cannot implicitly convert `i32` to `i64`; use an explicit `as i64` cast\") or, in unpinned arithmetic, MIR `UnsupportedNode`; a usize index is a `Mismatch` too.",
    },
  ],
  templates,
} satisfies FailureCategory;
