import type { FailureCategory } from "../category.js";
import templates from "../templates/legacy-path.js";

export default {
  id: "legacy-path",
  title: "Legacy `::` paths, turbofish, glob imports and `use`",
  description:
    "Rust path syntax that Hew removed: `Vec::new()`, `Shape::Circle`, `import std::os;`, `f::<T>()`, `import m::*`, `use std::collections::HashMap;`. All are parse errors, so they hide every other diagnostic.",
  matchers: [
    { description: "a `::` path, turbofish or glob import", codes: ["E_PATH_LEGACY_SEPARATOR", "E_LEGACY_TURBOFISH", "E_IMPORT_GLOB_REMOVED"] },
    { description: "a Rust `use` line", codes: ["Other"], message: /expected item .*found identifier `use`/ },
  ],
  rules: [
    {
      id: "paths",
      text: "Paths use dots, never `::`: `Vec.new()`, `Shape.Circle(1.0)`, `import std.string;`. There is no turbofish (write `f<i64>()`), no `use`, and no glob import (list names: `import std.encoding.json.{self, Value};`).",
      short: "Paths use dots: `Vec.new()`, `import std.string;`; no `::`, `use` or turbofish.",
      reason: "v1 taught `::`; now `::` is `E_PATH_LEGACY_SEPARATOR`, `::<T>` is `E_LEGACY_TURBOFISH` and `import m::*` is `E_IMPORT_GLOB_REMOVED`, parse errors that hide every other diagnostic.",
    },
  ],
  templates,
} satisfies FailureCategory;
