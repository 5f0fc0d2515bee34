import { beforeAll, describe, expect, it } from "vitest";
import { loadBinding, type Binding } from "../../src/train/native/binding.js";
import { ADDON_BUILD_TIMEOUT_MS, buildAddonForTests } from "./training-fixtures.js";

/** The backward passes hew-corpus's ggml patches add (0020-0029), and ROPE_MULTI, which qwen35 also needs. */
const OPS = ["concat", "gated_delta_net", "gated_delta_net_kda", "l2_norm", "l2_norm_view", "rope_multi", "sigmoid", "ssm_conv"];

let binding: Binding;

beforeAll(async () => {
  binding = loadBinding((await buildAddonForTests()).path);
}, ADDON_BUILD_TIMEOUT_MS);

describe("backward passes against finite differences", () => {
  it("has a check for every op the qwen35 training graph added", () => {
    expect(binding.gradCheck()).toEqual(OPS);
  });

  for (const op of OPS) {
    it.each([0, 1, 2])(`${op}, shape %i: the analytic gradient matches central differences`, (variant) => {
      const r = binding.gradCheck(op, variant);
      expect(r.checked).toBeGreaterThan(0);
      // not a vacuous check (l2_norm_view normalizes a third of its input; the rest gets no gradient)
      expect(r.nonzero).toBeGreaterThanOrEqual(r.checked / 3);
      expect(r.maxError).toBeLessThan(1e-2);
    });
  }

  it("names an op it has no check for", () => {
    expect(() => binding.gradCheck("softmax", 0)).toThrow(/no gradient check for op softmax/);
  });
});
