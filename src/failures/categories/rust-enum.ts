import type { Diagnostic } from "../../schema/diagnostic.js";
import type { FailureCategory } from "../category.js";
import templates from "../templates/rust-enum.js";
import type { SourceView } from "../source-view.js";

/** The enum named by `Enum.Variant` / `Enum::Variant` in the message, when the program declares it. */
function declaredEnum(pattern: RegExp) {
  return (d: Diagnostic, source: SourceView) => {
    const name = pattern.exec(d.message)?.[1];
    return name !== undefined && source.declares("enum", name) && `enum ${name}`;
  };
}

export default {
  id: "rust-enum",
  title: "Rust-style enums",
  description:
    "Enums declared or built the Rust way: variants separated by `,`, `#[derive(..)]` on top, a tuple variant built with struct syntax or the reverse, a payload variant used without its payload, a recursive enum without `indirect`.",
  matchers: [
    { description: "variants separated by `,`", codes: ["Other"], message: /use `;` instead of `,` to separate variants/ },
    {
      description: "`#[derive]` on an enum",
      codes: ["Other"],
      message: /#\[derive\]/,
      where: (_d, source) => /#\[derive[^\]]*\]\s*(?:#\[[^\]]*\]\s*)*(?:pub\s+)?(?:indirect\s+)?enum\s+\w+/.exec(source.code)?.[0].replace(/\s+/g, " "),
    },
    { description: "a struct variant built like a tuple variant", codes: ["UndefinedFunction"], where: declaredEnum(/undefined static function `(\w+)\.\w+`/) },
    { description: "a tuple variant built like a struct variant", codes: ["UndefinedType"], where: declaredEnum(/undefined type `(\w+)\.\w+`/) },
    { description: "a payload variant used without its payload", codes: ["UndefinedVariable"], where: declaredEnum(/undefined variable `(\w+)::\w+`/) },
    {
      description: "a variant built in the wrong shape, or a recursive enum without `indirect`",
      codes: [
        "EnumVariantConstructorShapeMismatch",
        "EnumVariantConstructorMissingField",
        "EnumVariantConstructorUnknownField",
        "EnumVariantConstructorArityMismatch",
        "RecursiveValueType",
      ],
    },
    {
      description: "a contextual `.Variant` with no enum expected there",
      codes: ["E_CONTEXT_VARIANT_NO_TYPE", "E_CONTEXT_VARIANT_AMBIGUOUS"],
      // After another error the expected type is `<error>`: that one is a consequence, not a cause.
      where: (d) => !d.message.includes("<error>"),
    },
  ],
  rules: [
    {
      id: "enums",
      text: "Separate enum variants with `;` (`enum Shape { Dot; Circle(f64); Rect { w: f64; h: f64 } }`), construct them in their declared shape (`Shape.Circle(1.0)`, `Shape.Rect { w: 1.0, h: 2.0 }`), match them as `.Circle(r) =>` / `.Rect { w, h } =>`, and declare recursive types with `indirect enum`.",
      short: "End enum variants with `;`: `enum S { A; B(f64); }`, matched as `.B(r) =>`.",
      reason: "Commas give `Other` \"use `;` instead of `,` to separate variants\"; `#[derive]` is rejected; a tuple/struct shape mix-up gives `UndefinedFunction` \"undefined static function `Shape.Rect`\".",
    },
  ],
  templates,
} satisfies FailureCategory;
