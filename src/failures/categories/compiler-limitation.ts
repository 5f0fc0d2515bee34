import type { FailureCategory } from "../category.js";
import templates from "../templates/compiler-limitation.js";

// HIR and MIR kinds that report the compiler's own gaps or inconsistencies (hew-facts 2.3, 2.4).
const INTERNAL_CODES = [
  "NotYetImplemented",
  "UnresolvedPlace",
  "UnsupportedNode",
  "CheckerBoundaryViolation",
  "UnsupportedPayloadSubpattern",
  "UnresolvedSymbol",
  "ImportMissing",
  "UnresolvedBuiltinOverload",
  "UnresolvedInferenceVar",
  "DuplicateBindingId",
  "DuplicateSiteId",
  "DuplicateNodeId",
  "DanglingRef",
  "MethodCallNoRewrite",
  "ImplBlockShapeNotLowered",
  "TraitObjectMethodNoSideTableEntry",
  "TraitObjectCoercionMissing",
  "ActorStateGuardMissing",
  "RecordLayoutMissing",
  "RecursiveGenericTypeUnsupported",
  "UnknownIntrinsic",
  "ImportedBodyMissingPrivateHelper",
  "ImportedFreeFnBodyUnresolvedBareCall",
  "CloseableOpaqueMustBeResource",
  "OpaqueResourceCloseMismatch",
  "OpaqueResourceLifecycleConflict",
  "ResourceBoundaryParamMustConsume",
  "LinearConsumingMethodSourceUnsupported",
  "SpawnedClosureSignatureUnsupported",
  "ForkBlockBodyUnsupported",
  "DeadlineBodyUnsupported",
  "NestedSupervisorAccessorUnsupported",
  "UnaryOperatorUnsupportedInMir",
  "CallableUnsupportedInMir",
  "VecSliceElementTypeUnsupported",
  "CloneNotYetSupported",
  "IndirectCallUnsupported",
  "RawPointerOpNotLowered",
  "ClosureCaptureModeUnresolved",
  "ClosureEscapeKindUnresolved",
  "PlatformLimitation",
];

export default {
  id: "compiler-limitation",
  title: "Compiler limitation",
  description:
    "Not the sample's fault: forms the compiler does not implement yet (`NotYetImplemented`), internal HIR/MIR consistency errors, codegen-front failures. It is chosen only when every error is of this kind; a specific error beside internal ones decides the category.",
  onlyWhenAlone: true,
  matchers: [
    { description: "a form the compiler does not implement yet, or an internal HIR/MIR error", codes: INTERNAL_CODES },
    { description: "a HIR or MIR monomorphisation limit", where: (d) => (d.source === "hew-hir" || d.source === "hew-mir") && /CapExceeded|PostMono/.test(d.code) },
    { description: "a codegen-front failure", where: (d) => d.code.startsWith("E_CODEGEN_FRONT_") },
    { description: "an inconsistency inside the type checker", codes: ["InvalidOperation"], message: /checker produced-value graph is incomplete/ },
  ],
  rules: [
    {
      id: "compiler-gaps",
      text: "Avoid the few valid-looking forms the current compiler cannot lower: in a transition body name the next state in every branch (`if c { Meter.Loud { peak: event.v } } else { Meter.Quiet }`, not `else { state }`); test a destructured tuple inside the arm body, not in a guard; use `await x | after d` only inside an actor handler; give supervisor children only integer or bool literal arguments.",
      reason: "Each passes the type checker and then fails as a compiler limitation: `state` in a branch is MIR `UnresolvedPlace`, a guarded tuple destructure and `| after` from main are MIR `NotYetImplemented`, and a string child argument is `NotYetImplemented` (\"supported child init values are literals and config-field reads\").",
    },
  ],
  templates,
} satisfies FailureCategory;
