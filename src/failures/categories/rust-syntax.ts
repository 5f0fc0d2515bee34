import type { FailureCategory } from "../category.js";
import templates from "../templates/rust-syntax.js";

export default {
  id: "rust-syntax",
  title: "Other Rust habits",
  description:
    "Rust forms Hew does not have: `let mut`, macros (`println!`, `format!`, `vec!`), `struct`/`class`/`interface`, `#[derive]`, `&self` and `&x` borrows, `&str` and lifetimes, `mod`, `Box`/`Rc`/`dyn`, one-line `extern \"C\" fn` declarations, range patterns, `impl Drop`, assigning to a `let`, keywords used as names.",
  matchers: [
    { description: "`let mut` or `mut` in a pattern", message: /reserved word `mut`|unexpected `mut`|found `mut`/ },
    { description: "a keyword used as a name", codes: ["InvalidPattern", "MissingExpression", "Other"], message: /reserved word `\w+`|`\w+` is a reserved word/ },
    { description: "a macro call", codes: ["UnexpectedToken"], message: /found `!`/ },
    { description: "a foreign keyword (`struct`, `class`, `interface`, ...)", codes: ["Other"], message: /^unexpected '(struct|class|interface|def|trait|func|function)'/ },
    { description: "a type attribute Hew does not know (`#[derive]`, `#[repr]`)", codes: ["Other"], message: /unrecognised type attribute/ },
    { description: "a range pattern", codes: ["UnexpectedToken"], message: /expected `=>`, found `\.\.=?`/ },
    { description: "a `&` borrow or `&self` receiver", message: /found `&`|`&` is not a prefix operator/ },
    { description: "a borrowed type outside an extern signature", codes: ["BorrowTypeOutsideExternSignature"] },
    { description: "a borrowed type (`&str`, `&T`) in ordinary code", codes: ["Other"], message: /`&T` is only allowed in `extern` function signatures/ },
    { description: "a `self` parameter written Rust's way (`self: &Self`, `&mut self`)", codes: ["Other"], message: /`self` is not a valid parameter name/ },
    { description: "a lifetime (`'a`, `&'a str`)", codes: ["InvalidLiteral"], where: (d, source) => /<'[a-z_]\w*\s*[,>]|&'[a-z_]\w*\b|'static\b/.exec(source.lineOf(d))?.[0] },
    {
      description: "a Rust-style `extern \"C\" fn` declaration (Hew declares them in an `extern \"C\" { }` block)",
      codes: ["UnexpectedToken"],
      message: /expected `\{`, found `fn`/,
      where: (d, source) => /^\s*(pub\s+)?(unsafe\s+)?extern\s+"C"\s+fn\b/.exec(source.lineOf(d))?.[0].trim(),
    },
    { description: "a Rust item Hew does not have (`mod`, `static`, `macro_rules!`, `extern crate`)", codes: ["Other"], message: /^expected item .*found identifier `(mod|static|macro_rules|crate)`/ },
    { description: "a Rust standard type (`Box`, `Rc`, `RefCell`, `dyn Trait`)", codes: ["UndefinedType"], message: /^unknown type `(Box|Rc|RefCell|Cell|Cow|Arc|dyn)`/ },
    { description: "`impl Drop` instead of `#[resource]`", codes: ["InvalidOperation"], message: /`impl Drop` is not supported/ },
    { description: "a `#[resource]` close written the wrong way", codes: ["ResourceCloseSourceUnsupported", "ResourceMissingClose", "ResourceCloseMustReturnUnit"] },
    { description: "assignment to a `let` binding", codes: ["MutabilityError"], message: /cannot assign to immutable/ },
    { description: "a declaration that reuses a prelude name", codes: ["E_PRELUDE_DECL_COLLISION"] },
    { description: "a refutable pattern in a plain `let`", codes: ["RefutableLetPattern"] },
    { description: "a reused wire tag", codes: ["Other"], message: /duplicate wire field number/ },
  ],
  rules: [
    {
      id: "let-var",
      text: "Declare immutable bindings with `let` and mutable ones with `var`; there is no `let mut`.",
      short: "`let` is immutable and `var` mutable; there is no `let mut`.",
      reason: "`let mut` is three parse errors (`InvalidPattern` \"expected pattern, found reserved word `mut`\", ...); assigning to a `let` is `MutabilityError`.",
    },
    {
      id: "no-macros",
      text: "Hew has no macros: print with `println(x)` or `println(f\"total = {a + b}\")`, build strings with f-strings or `+`, and build a Vec with `[1, 2, 3]`; never `println!`, `format!`, `vec!` or `assert_eq!`.",
      short: "No macros like `println!` or `vec!`: `println(f\"{x}\")`, `[1, 2]`.",
      reason: "Macro calls are parse errors (`UnexpectedToken` \"expected `}`, found `!`\" or \"expected `;`, found `!`\"); v1 only mentioned println!.",
    },
    {
      id: "records-and-methods",
      text: "Declare records with `type Point { x: i64; y: i64; }` (no `struct`, `class`, `interface` or `#[derive]`) and write methods as `impl Point { fn sum(p: Point) -> i64 { p.x + p.y } }`, where the receiver is a named first parameter; there is no `&self` and no `&` borrow anywhere.",
      short: "Records are `type P { x: i64; }`, not `struct`; methods take `p: P`, not `&self`.",
      reason: "`struct`/`class` give `Other` \"unexpected 'struct'\"; `&mut self` gives `Other` \"expected identifier, found `&`\"; `&x` gives \"`&` is not a prefix operator\".",
    },
    {
      id: "reserved-words",
      text: "Do not use Hew keywords as names: `pool`, `record`, `default`, `select`, `try`, `catch`, `defer`, `this`, `is`, `emit`, `race`, `type`, `gen`, `spawn`, `actor` and `receive` are reserved.",
      reason: "`let pool = ...` or `let record = ...` breaks the parse with a cascade of `InvalidPattern`/`MissingExpression` errors (\"expected pattern, found reserved word `pool`\").",
    },
    {
      id: "match-patterns",
      text: "Use guards instead of range patterns (`n if n >= 1 && n <= 9 =>`, never `1..=9 =>`), end integer matches with `_`, and separate arms with commas. Avoid unsupported shapes (a guard on a tuple destructure, a constructor inside a tuple pattern like `(.Some(a), .Some(b))`, a literal inside a nested constructor like `.Mul(.Lit(0), _)`); use a nested `match` instead.",
      reason: "Range patterns are `UnexpectedToken` \"expected `=>`, found `..=`\"; the unsupported shapes give `InvalidOperation`, `UnsupportedPayloadSubpattern` or MIR `NotYetImplemented`.",
    },
    {
      id: "resource-cleanup",
      text: "There is no `impl Drop`: mark the type `#[resource]` and give it `fn close(h: Handle)` in a separate `impl Handle { }` block, and close runs automatically at scope end. Wrap a C handle as `#[opaque] type RawFile {}` stored in a `#[resource]` record whose close calls the C release function.",
      reason: "`impl Drop` is `InvalidOperation` (\"`impl Drop` is not supported ...\"); a close inside the type body is HIR `ResourceCloseSourceUnsupported`; a `#[resource]` passed by value to an extern fn is `ResourceBoundaryParamMustConsume`.",
    },
    {
      id: "wire-types",
      text: "Wire schemas are `#[wire] type Order { id: u64 @1; note: Option<string> @2 optional; }` and `#[wire] enum Status { Pending; Shipped; }`: every field has a unique `@N` tag that is never reused, and a new field gets a new tag plus `optional`. Encode with `o.to_json()` and decode with `Order.from_json(s)`, which returns a Result to match.",
      reason: "`#[wire] struct` is `Other` \"unexpected 'struct'\" (hint: `#[wire] type`); a repeated tag is `Other` \"duplicate wire field number @N\".",
    },
    {
      id: "tests",
      text: "Tests are `#[test] fn name() { assert_eq(got, want); }` using the built-in functions `assert`, `assert_eq` and `assert_ne`, plus `#[should_panic]` and `#[ignore]`; put `// hew:allow(dead_code)` on the line above each `#[test]` and still include a `main`.",
      reason: "`assert_eq!` is a parse error like every macro; without the allow comment `hew check` reports a `dead_code` warning for each test fn.",
    },
  ],
  templates,
} satisfies FailureCategory;
