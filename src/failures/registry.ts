import { FAILURE_CATEGORY_IDS, FailureCategoryIdSchema, type FailureCategoryId } from "../schema/corrections.js";
import { UserError } from "../util/errors.js";
import type { FailureCategory } from "./category.js";
import actorProtocol from "./categories/actor-protocol.js";
import compilerLimitation from "./categories/compiler-limitation.js";
import integerType from "./categories/integer-type.js";
import inventedApi from "./categories/invented-api.js";
import legacyPath from "./categories/legacy-path.js";
import machineSyntax from "./categories/machine-syntax.js";
import other from "./categories/other.js";
import proseLeak from "./categories/prose-leak.js";
import removedConcurrency from "./categories/removed-concurrency.js";
import rustEnum from "./categories/rust-enum.js";
import rustSyntax from "./categories/rust-syntax.js";
import supervisorSyntax from "./categories/supervisor-syntax.js";
import unsafeFfi from "./categories/unsafe-ffi.js";
import useAfterMove from "./categories/use-after-move.js";
import yieldOutsideGen from "./categories/yield-outside-gen.js";

const byId: Record<FailureCategoryId, FailureCategory> = {
  "prose-leak": proseLeak,
  "removed-concurrency": removedConcurrency,
  "supervisor-syntax": supervisorSyntax,
  "machine-syntax": machineSyntax,
  "actor-protocol": actorProtocol,
  "yield-outside-gen": yieldOutsideGen,
  "unsafe-ffi": unsafeFfi,
  "use-after-move": useAfterMove,
  "rust-enum": rustEnum,
  "invented-api": inventedApi,
  "legacy-path": legacyPath,
  "integer-type": integerType,
  "rust-syntax": rustSyntax,
  "compiler-limitation": compilerLimitation,
  other,
};

/**
 * Every failure category, in priority order: when errors of several categories appear in one program, the
 * first category here that recognises one of them is the program's category (prose hides all else; a
 * specific mistake beats the generic Rust-habit buckets; a compiler limitation never hides a real mistake).
 */
export const failureRegistry: readonly FailureCategory[] = FAILURE_CATEGORY_IDS.map((id) => byId[id]);

/** The category with this id; an unknown id is the user's mistake and names the known ones. */
export function getFailureCategory(id: string): FailureCategory {
  const parsed = FailureCategoryIdSchema.safeParse(id);
  if (!parsed.success) throw new UserError(`unknown failure category "${id}"; known: ${FAILURE_CATEGORY_IDS.join(", ")}`);
  return byId[parsed.data];
}
