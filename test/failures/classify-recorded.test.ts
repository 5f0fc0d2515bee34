import { describe, expect, it } from "vitest";
import { classifyFailure } from "../../src/failures/classify.js";
import { DiagnosticArraySchema } from "../../src/schema/diagnostic.js";
import type { FailureCategoryId } from "../../src/schema/corrections.js";
import { programText, recordedVerdicts } from "../helpers/fixtures.js";

/**
 * The expected category of every recorded failing program, keyed by the slug in its file name. Reviewed
 * one by one against the program and its recorded diagnostics; the notes say why where a slug could
 * point two ways.
 */
const EXPECTED: Record<string, FailureCategoryId> = {
  "ask-method-call": "actor-protocol", // `.ask(..)` on a LocalPid, not an invented std method
  "ask-without-await": "actor-protocol",
  "await-in-condition": "actor-protocol",
  "await-inside-println": "actor-protocol",
  "impl-drop-on-msg": "rust-syntax",
  "let-mut-in-handler": "rust-syntax",
  "linear-used-after-send": "use-after-move",
  "markdown-fence-rust-tag": "prose-leak",
  "println-macro-handler": "rust-syntax",
  "resource-sent-twice": "use-after-move",
  "resource-use-after-send": "use-after-move",
  "string-type": "integer-type", // `String`: the primitive-type-name rule (v2 int-types) covers it
  "children-list": "supervisor-syntax",
  "restart-policy-key": "supervisor-syntax",
  "rust-style-max-restarts": "supervisor-syntax",
  "string-init-arg": "compiler-limitation", // MIR NotYetImplemented alone
  "impl-iterator-next": "yield-outside-gen", // a Rust iterator where a `gen fn` belongs; beats the `&mut self` parse errors
  "prose-and-fence": "prose-leak",
  "yield-in-helper-actor": "yield-outside-gen",
  "yield-in-main": "yield-outside-gen",
  "yield-plain-fn": "yield-outside-gen",
  "yield-receive-fn": "yield-outside-gen",
  "enum-comma-variants": "rust-enum", // wire-types 106 and pattern-matching 166 alike
  "fence-mid-file": "prose-leak",
  "unit-type": "integer-type",
  "wire-struct": "rust-syntax", // `struct` keyword (v2 wire-types rule is rust-syntax)
  "arrow-thin": "machine-syntax",
  "body-prints-unit": "machine-syntax",
  "body-return-stmt-string": "machine-syntax", // MIR UnsupportedNode, but its message names a transition without a next state
  "body-returns-event": "machine-syntax",
  "body-returns-string": "machine-syntax",
  "bodyless-field-state": "machine-syntax",
  "duplicate-rule": "machine-syntax",
  "event-keyword-handlers": "machine-syntax",
  "event-lines-no-header": "machine-syntax",
  "event-with-payload-old": "machine-syntax",
  "from-keyword": "machine-syntax",
  "from-to-keywords": "machine-syntax",
  "guard-uses-head-binding": "machine-syntax",
  "interleaved-event": "machine-syntax",
  "leading-dot-source": "machine-syntax",
  "missing-cell": "machine-syntax",
  "prose-sure": "prose-leak",
  "self-transition-no-reenter": "machine-syntax", // the specific HIR code wins over ~20 CheckerBoundaryViolation
  "state-in-if-branch": "compiler-limitation", // MIR UnresolvedPlace
  "step-on-let": "machine-syntax",
  "assign-to-let": "rust-syntax", // let vs var
  "glob-import-sort": "legacy-path",
  "i32-times-to-i64": "integer-type",
  "i64-arg-to-i32": "integer-type",
  "int-type": "integer-type",
  "let-mut": "rust-syntax",
  "markdown-fence": "prose-leak",
  "mixed-width-add": "integer-type", // MIR UnsupportedNode whose message is the width mix
  "println-macro": "rust-syntax",
  "prose-intro": "prose-leak",
  "turbofish-generic-call": "legacy-path",
  "usize-index": "integer-type",
  "vec-iter-sum": "invented-api",
  "vec-map-collect": "invented-api",
  "vec-sort-method": "invented-api",
  "await-timeout-in-main": "compiler-limitation", // MIR NotYetImplemented alone
  "fork-block": "removed-concurrency",
  "fork-in-main": "removed-concurrency",
  "glob-import-channel": "legacy-path",
  "scope-handle-launch": "removed-concurrency",
  "sender-used-after-send": "use-after-move",
  "thread-spawn": "removed-concurrency", // beats the `::` it is written with
  "class-keyword": "rust-syntax",
  "collect-turbofish": "invented-api", // `.collect::<..>()`: VecIter has no collect, so dots alone would not fix it
  "hashmap-entry": "invented-api",
  "hashmap-new-colons": "legacy-path",
  "hashset-turbofish-new": "legacy-path", // `HashSet.new()` exists: only the path is wrong
  "lowercase-int": "integer-type",
  "struct-keyword": "rust-syntax",
  "vec-first-last": "invented-api", // beside a type-checker inconsistency that must not win
  "vec-insert-front": "invented-api",
  "vec-macro": "rust-syntax",
  "vec-new-colons": "legacy-path",
  "vec-new-no-annotation": "invented-api", // InferenceFailed (v2 map-api rule)
  "char-range-pattern": "rust-syntax",
  "enum-colons-construct": "legacy-path", // `Shape::Circle`: dots fix it
  "enum-derive-attr": "rust-enum",
  "enum-struct-variant-commas": "rust-enum",
  "fence-after-code": "prose-leak",
  "guarded-tuple-pattern": "compiler-limitation", // MIR NotYetImplemented alone
  "interface-keyword": "rust-syntax",
  "mut-binding-pattern": "rust-syntax",
  "range-pattern-exclusive": "rust-syntax",
  "range-pattern-inclusive": "rust-syntax",
  "rust-struct-variant-literal": "rust-enum",
  "self-variant-path": "legacy-path",
  "struct-variant-tuple-syntax": "rust-enum",
  "to-string-payload": "invented-api",
  "tuple-variant-struct-syntax": "rust-enum",
  "variant-missing-payload": "rust-enum",
  "impl-drop-self": "rust-syntax",
  "impl-drop": "rust-syntax",
  "missing-unsafe-abs": "unsafe-ffi",
  "missing-unsafe-in-handler": "unsafe-ffi",
  "missing-unsafe-in-helper": "unsafe-ffi",
  "missing-unsafe-in-loop": "unsafe-ffi",
  "resource-close-inline": "rust-syntax", // HIR ResourceCloseSourceUnsupported beside an internal error
  "resource-use-after-close": "use-after-move",
  "format-macro": "rust-syntax",
  "glob-import-os": "legacy-path",
  "glob-import-string": "legacy-path",
  "import-std-colons-os": "legacy-path",
  "int-to-string": "invented-api",
  "os-args-no-index": "invented-api",
  "parse-turbofish": "invented-api", // `.parse::<i64>()`: string has no parse; `string.to_int` is the fix
  "prose-after-code": "prose-leak",
  "range-pattern-http": "rust-syntax",
  "std-os-args-path": "legacy-path",
  "string-push-str": "invented-api",
  "use-collections": "legacy-path",
};

const failing = recordedVerdicts().filter((r) => r.exitCode !== 0);
const slugOf = (file: string) => /^programs\/\d{3}-[a-z-]+?-fail-(.+)\.hew$/.exec(file)?.[1];

function classifyRecorded(record: (typeof failing)[number]) {
  return classifyFailure(programText(record), { diagnostics: DiagnosticArraySchema.parse(record.diagnostics), stderr: record.stderr });
}

describe("classifyFailure over the recorded failing programs", () => {
  it("has an expected category for every failing program and no stale entries", () => {
    expect(failing).toHaveLength(117);
    const slugs = failing.map((r) => slugOf(r.file));
    expect(slugs.filter((s) => s === undefined)).toEqual([]);
    expect(Object.keys(EXPECTED).sort()).toEqual([...new Set(slugs as string[])].sort());
  });

  it.each(failing.map((r) => [r.file, r] as const))("%s", (_file, record) => {
    const result = classifyRecorded(record);
    expect(result.category).toBe(EXPECTED[slugOf(record.file)!]);
    expect(result.evidence.length).toBeGreaterThan(0);
    for (const e of result.evidence) expect(record.diagnostics.some((d) => d.code === e.code && d.message === e.message)).toBe(true);
  });

  it("finds no failure in the passing programs, warnings included", () => {
    for (const record of recordedVerdicts().filter((r) => r.exitCode === 0)) {
      const result = classifyRecorded(record);
      expect(result.evidence, record.file).toEqual([]);
      expect(result.category).toBe("other");
    }
  });
});
