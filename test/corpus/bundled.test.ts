import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { loadCorpus } from "../../src/chatml/load-corpus.js";
import { loadSystemPrompts } from "../../src/chatml/system-prompt.js";
import { EVAL_CATEGORIES } from "../../src/schema/sample.js";
import { openChecker } from "../../src/validate/open-checker.js";
import { HewNotFoundError, unavailableChecker } from "../../src/validate/hew-binary.js";
import { cachedChecker } from "../../src/validate/cached-checker.js";
import { hewChecker } from "../../src/validate/hew-checker.js";
import { validateSamples } from "../../src/validate/validate-samples.js";
import { summarize } from "../../src/validate/report.js";
import { REPO_ROOT } from "../helpers/fixtures.js";
import { REAL_HEW, SKIP_REASON } from "../helpers/real-hew.js";

const loaded = await loadConfig(REPO_ROOT);
const samples = await loadCorpus(loaded.config.corpus, { cwd: loaded.root });

describe("the bundled corpus", () => {
  it("has at least 20 samples in each of the 12 eval categories", () => {
    const counts = Object.fromEntries(EVAL_CATEGORIES.map((c) => [c, samples.filter((s) => s.sample.meta.category === c).length]));
    for (const c of EVAL_CATEGORIES) expect(counts[c], c).toBeGreaterThanOrEqual(20);
    expect(samples.length).toBeGreaterThanOrEqual(240);
  });

  it("has a passing verdict in its lock for every code block, so it validates offline", async () => {
    const { lock } = await openChecker(loaded, { cache: false });
    expect(lock).toBeDefined();
    const offline = cachedChecker({ inner: unavailableChecker(new HewNotFoundError("hew", "offline test")), lock });
    const funnel = summarize(await validateSamples(samples, offline));
    expect(funnel.unchecked, "blocks missing from corpus/verdicts.lock.jsonl: run validate --update-lock").toBe(0);
    expect(funnel.pass).toBe(funnel.blocks);
    expect(funnel.checkers.map((c) => c.checker.name)).toEqual(["hew"]);
  });

  it("ships system-prompt versions whose latest rules each name the failure they fight", async () => {
    const store = await loadSystemPrompts(join(loaded.root, loaded.config.systemPrompts));
    expect(store.latest.parent).toBeDefined();
    for (const rule of store.latest.rules) expect(rule.category, rule.id).toBeTruthy();
  });

  it.skipIf(!REAL_HEW)(`passes the real checker today, block by block (${REAL_HEW ?? SKIP_REASON})`, async () => {
    const checker = hewChecker({ bin: REAL_HEW! });
    try {
      const funnel = summarize(await validateSamples(samples, checker));
      expect(funnel.pass).toBe(funnel.blocks);
    } finally {
      await checker.close?.();
    }
  });
});
