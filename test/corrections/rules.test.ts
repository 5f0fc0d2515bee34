import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { diffSystemPrompts, getSystemPrompt, loadSystemPrompts } from "../../src/chatml/system-prompt.js";
import { failureRegistry } from "../../src/failures/registry.js";
import { nextPromptVersion, nextVersionId, proposeRules } from "../../src/corrections/rules.js";
import { FAILURE_CATEGORY_IDS } from "../../src/schema/corrections.js";
import { SystemPromptVersionSchema } from "../../src/schema/system-prompt.js";
import { REPO_ROOT } from "../helpers/fixtures.js";

const store = await loadSystemPrompts(join(REPO_ROOT, "corpus", "system-prompts"));
const v1 = getSystemPrompt(store, "v1");
const v2 = getSystemPrompt(store, "v2");
const v3 = getSystemPrompt(store, "v3");

describe("registry rules and the bundled prompts", () => {
  it("name only registry categories", () => {
    for (const v of store.versions.values()) for (const r of v.rules) expect(FAILURE_CATEGORY_IDS, `${v.id} ${r.id}`).toContain(r.category);
  });

  it("hold every v2 rule in the category v2 gives it, with v2's text", () => {
    const registry = new Map(failureRegistry.flatMap((c) => c.rules.map((r) => [r.id, { ...r, category: c.id }])));
    for (const r of v2.rules) expect(registry.get(r.id), r.id).toMatchObject({ id: r.id, text: r.text, reason: r.reason, category: r.category });
  });

  it("hold every compact v3 rule as its short text, so v3 needs no update", () => {
    const registry = new Map(failureRegistry.flatMap((c) => c.rules.map((r) => [r.id, { ...r, category: c.id }])));
    for (const r of v3.rules) expect(registry.get(r.id), r.id).toMatchObject({ short: r.text, category: r.category });
    expect(proposeRules(v3).filter((p) => p.change === "update")).toEqual([]);
    expect(proposeRules(v3).map((p) => p.rule.id)).toContain("compiler-gaps");
  });
});

describe("proposeRules", () => {
  it("finds v1's outdated rules and the rules it lacks", () => {
    const proposals = proposeRules(v1);
    const updates = proposals.filter((p) => p.change === "update").map((p) => p.rule.id);
    expect(updates).toEqual(expect.arrayContaining(["int-types", "paths", "actor-request-reply", "machine-events", "structured-concurrency"]));
    expect(proposals.find((p) => p.rule.id === "int-types")!.current!.text).toMatch(/Use `Int`/);
    expect(proposals.filter((p) => p.change === "add").map((p) => p.rule.id)).toContain("numeric-casts");
  });

  it("limits itself to the given categories", () => {
    expect(proposeRules(v2)).toEqual([expect.objectContaining({ change: "add", category: "compiler-limitation", rule: expect.objectContaining({ id: "compiler-gaps" }) })]);
    expect(proposeRules(v2, ["invented-api"])).toEqual([]);
    expect(proposeRules(v1, ["integer-type"]).map((p) => `${p.change} ${p.rule.id}`)).toEqual(["update int-types", "add numeric-casts"]);
  });
});

describe("nextPromptVersion", () => {
  it("keeps the parent's rules and order, applies updates, appends additions introduced by the new version", () => {
    const v = nextPromptVersion(v1, proposeRules(v1, ["integer-type"]), "v1b");
    expect(SystemPromptVersionSchema.parse(v)).toEqual(v);
    expect(v).toMatchObject({ id: "v1b", parent: "v1", preamble: v1.preamble });
    expect(v.rules.map((r) => r.id)).toEqual([...v1.rules.map((r) => r.id), "numeric-casts"]);
    const intTypes = v.rules.find((r) => r.id === "int-types")!;
    expect(intTypes).toMatchObject({ addedIn: "v1", text: v2.rules.find((r) => r.id === "int-types")!.text });
    expect(v.rules.at(-1)).toMatchObject({ id: "numeric-casts", addedIn: "v1b", category: "integer-type" });
    const diff = diffSystemPrompts(v1, v);
    expect(diff.added.map((r) => r.id)).toEqual(["numeric-casts"]);
    expect(diff.changed.map((c) => [c.id, c.fields])).toEqual([["int-types", ["text", "reason"]]]);
    expect(v.description).toBe("v1 plus the failure registry's rules; added: numeric-casts; updated: int-types.");
  });

  it("refuses to make a version with nothing new", () => {
    expect(() => nextPromptVersion(v2, [], "v3")).toThrow(/nothing to propose for v2/);
  });

  it("numbers versions", () => {
    expect(nextVersionId("v2")).toBe("v3");
    expect(nextVersionId("v9")).toBe("v10");
    expect(nextVersionId("draft")).toBe("draft-2");
  });
});
