import type { LocatedSample } from "../chatml/jsonl.js";
import type { SystemPromptStore } from "../chatml/system-prompt.js";
import type { KeepCriterion } from "../schema/dedup.js";

/** Orders two system-prompt version ids: positive when `a` is newer. Unversioned is oldest. */
export type PromptVersionOrder = (a: string | undefined, b: string | undefined) => number;

/** Newer by position in the store's parent chain; ids the store lacks by natural order (v2 < v10). */
export function promptVersionOrder(store?: SystemPromptStore): PromptVersionOrder {
  const depth = (id: string): number | undefined => {
    if (!store?.versions.has(id)) return undefined;
    let d = 0;
    for (let v = store.versions.get(id)?.parent; v !== undefined; v = store.versions.get(v)?.parent) d++;
    return d;
  };
  return (a, b) => {
    if (a === b) return 0;
    if (a === undefined) return -1;
    if (b === undefined) return 1;
    const da = depth(a);
    const db = depth(b);
    if (da !== undefined && db !== undefined && da !== db) return da - db;
    return a.localeCompare(b, "en", { numeric: true });
  };
}

export interface KeepContext {
  /** Whether every code block of the sample passed the checker. */
  passing: (id: string) => boolean;
  newerPrompt: PromptVersionOrder;
}

const textLength = (s: LocatedSample) => s.sample.messages.reduce((n, m) => n + m.content.length, 0);

/** Negative when `a` is the one to keep. */
type Preference = (a: LocatedSample, b: LocatedSample, ctx: KeepContext) => number;

const PREFERENCES: Record<KeepCriterion, Preference> = {
  passing: (a, b, ctx) => Number(ctx.passing(b.sample.id)) - Number(ctx.passing(a.sample.id)),
  correction: (a, b) => Number(b.sample.meta.source === "correction") - Number(a.sample.meta.source === "correction"),
  "newer-prompt": (a, b, ctx) => ctx.newerPrompt(b.sample.meta.systemPromptVersion, a.sample.meta.systemPromptVersion),
  shorter: (a, b) => textLength(a) - textLength(b),
};

/**
 * The sample a cluster keeps: the first by the criteria in order; when they all tie, the one that comes
 * first in the corpus (members arrive in corpus order), so the choice never depends on anything else.
 */
export function chooseKept(members: readonly LocatedSample[], criteria: readonly KeepCriterion[], ctx: KeepContext): LocatedSample {
  let best = members[0]!;
  for (const m of members.slice(1)) {
    for (const criterion of criteria) {
      const order = PREFERENCES[criterion](m, best, ctx);
      if (order < 0) best = m;
      if (order !== 0) break;
    }
  }
  return best;
}
