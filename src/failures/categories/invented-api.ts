import type { FailureCategory } from "../category.js";
import templates from "../templates/invented-api.js";

export default {
  id: "invented-api",
  title: "Invented or misused std APIs",
  description:
    "Methods and functions carried over from Rust's std that Hew does not have (`v.sort()`, `.iter().sum()`, `map.entry(k)`, `s.push_str(..)`, `x.to_string()`, `text.parse::<i64>()`, `std::env::args()`), real APIs called with the wrong arguments (`os.args()`), and empty collections left without a type.",
  matchers: [
    { description: "a method the type does not have", codes: ["UndefinedMethod"] },
    { description: "a function, field or module member that does not exist", codes: ["UndefinedFunction", "UndefinedField", "E_PATH_MEMBER_NOT_FOUND"] },
    { description: "a std module that does not exist", codes: ["UnresolvedImport"] },
    { description: "an import that cannot be found", codes: ["E_MESSAGE"], message: /import|module/i },
    { description: "an empty collection or `None` without a type", codes: ["InferenceFailed"] },
    {
      description: "a std module function called with the wrong arguments",
      codes: ["ArityMismatch"],
      where: (d, source) => {
        const line = source.lineOf(d);
        return [...source.importedModules()].find((m) => new RegExp(`\\b${m}\\.\\w+\\(`).test(line)) && line.trim();
      },
    },
    {
      description: "a Rust std method or module written with `::`",
      codes: ["E_LEGACY_TURBOFISH", "E_PATH_LEGACY_SEPARATOR"],
      where: (d, source) => /\.(parse|collect|into)\s*::\s*<|\bstd\s*::\s*env\s*::/.exec(source.lineOf(d))?.[0],
    },
  ],
  rules: [
    {
      id: "vec-api",
      text: "Vec methods are `push pop len get set remove contains is_empty clear clone append join iter`, plus `v[i]` and slices `v[a..b]`; there is no `insert`, `sort`, `reverse`, `sum`, `map`, `filter`, `first`, `last`, `extend` or `with_capacity`, so write a loop (or `import std.sort;` and `sort.sort_ints(v)`).",
      short: "Vec has `push pop len get set remove contains`; no `sort`, `map` or `sum`: loop.",
      reason: "Rust Vec and iterator methods give `UndefinedMethod` (\"no method `sort` on Vec\", \"no method `sum` on `VecIter<i64>`\").",
    },
    {
      id: "map-api",
      text: "Give empty collections a type (`let m: HashMap<string, i64> = HashMap.new();`, `let v: Vec<i64> = Vec.new();`). HashMap has `insert get remove contains_key keys values len` and `get` returns an Option; there is no `entry`, `or_insert` or `get_mut`, so update with `match m.get(k) { .Some(c) => m.insert(k, c + 1), .None => m.insert(k, 1) }`.",
      short: "Type empty collections: `let m: HashMap<string, i64> = HashMap.new();`; no `entry`.",
      reason: "An unannotated `Vec.new()` is `InferenceFailed`; `entry` is `UndefinedMethod` \"no method `entry` on HashMap\".",
    },
    {
      id: "string-api",
      text: "`string` is immutable: combine with `+` or f-strings and use `len trim split lines contains starts_with ends_with replace to_upper to_lower slice find chars`. For conversions `import std.string;` and call `string.to_int(s)` (an Option<i64>) or `string.from_int(n)`; there is no `push_str`, `.to_string()`, `parse::<T>()` or `to_uppercase`.",
      short: "`import std.string;` for `string.from_int(n)`; no `.to_string()`.",
      reason: "`UndefinedMethod` (\"no method `push_str` on string\", \"no method `to_string` on `i64`\"); `parse::<i64>()` is `E_LEGACY_TURBOFISH`.",
    },
    {
      id: "option-result",
      text: "`Option`, `Result`, `Some`, `None`, `Ok` and `Err` are built in (never import them); annotate a bare `None` (`let best: Option<i64> = None;`). They only have `is_some is_none is_ok is_err unwrap unwrap_or`, and `unwrap`/`unwrap_or` consume the value; use `match`, `if let .Some(x) = opt { }` or `?` instead of `map`, `and_then`, `expect` or `ok_or`.",
      short: "`match` an `Option`/`Result` or `unwrap_or` it; no `map` or `expect`.",
      reason: "`UndefinedMethod` \"no method `map` on `Option<i64>`\" / \"no method `expect` ...\"; calling `is_some()` after `unwrap_or` is `UseAfterMove`; bare `None` is `InferenceFailed`.",
    },
    {
      id: "std-modules",
      text: "Common std calls: `import std.os;` then `os.args_count()` and `os.args(1)`; `import std.fs;` then `fs.try_read(path)` (a `Result<string, IoError>`); `import std.io;` then `io.write_err(msg)`. `fn main() -> i32` returns the exit status, or call `exit(1)`.",
      reason: "Rust `std::env::args()` is `E_PATH_LEGACY_SEPARATOR`; `os.args()` without an index is `ArityMismatch` \"expected 1 arguments, found 0\".",
    },
  ],
  templates,
} satisfies FailureCategory;
