import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { chatRenderer, encodeConversation, toContext } from "../../src/train/dataset.js";
import { loadBinding, type Binding } from "../../src/train/native/binding.js";
import { trainRun } from "../../src/train/train-run.js";
import { tempDir } from "../helpers/fixtures.js";
import { ADDON_BUILD_TIMEOUT_MS, ONE_ANSWER, buildAddonForTests, loraBGradient, writeProbeAdapter, writeTrainingFixture } from "./training-fixtures.js";

/**
 * The Vulkan backend, run for real on lavapipe (Mesa's CPU Vulkan driver): the same tiny model and seed trained on
 * CPU and on Vulkan. Opt-in with HEW_CORPUS_TEST_VULKAN=1, since its first build compiles every shader (about
 * 20 minutes on 2 cores); CI sets it after installing mesa-vulkan-drivers, libvulkan-dev, glslc and spirv-headers.
 * lavapipe is a CPU-type device, which ggml uses only when named: GGML_VK_VISIBLE_DEVICES=0.
 */
const ENABLED = process.env.HEW_CORPUS_TEST_VULKAN === "1";
if (!ENABLED) console.warn("Vulkan training tests skipped: set HEW_CORPUS_TEST_VULKAN=1 with a Vulkan driver installed (lavapipe will do)");

/**
 * Tolerances, from runs on lavapipe: the GPU kernels sum in another order, so losses agree to about 4 decimals
 * after one epoch at a constant learning rate of 1e-2, and the difference grows as the two runs drift apart.
 */
const EPOCH_1_TOLERANCE = 2e-3;
const EPOCH_2_TOLERANCE = 5e-2;

describe.skipIf(!ENABLED)("training on Vulkan (lavapipe)", () => {
  let binding: Binding;
  beforeAll(async () => {
    process.env.GGML_VK_VISIBLE_DEVICES ??= "0";
    binding = loadBinding((await buildAddonForTests("vulkan")).path);
  }, ADDON_BUILD_TIMEOUT_MS * 2);

  it("trains like the CPU backend, on the Vulkan device, and records it", { timeout: 600_000 }, async () => {
    const dir = await tempDir();
    const cpu = await writeTrainingFixture(join(dir, "cpu"), { outputDir: "out" });
    const vulkan = await writeTrainingFixture(join(dir, "vulkan"), { outputDir: "out", backend: "vulkan" });
    const a = (await trainRun({ configFile: cpu.config, defaultRoot: cpu.dir })).training!;
    const b = (await trainRun({ configFile: vulkan.config, defaultRoot: vulkan.dir })).training!;
    expect(b.backend.name).toBe("vulkan");
    expect(b.backend.devices!.some((d) => d.type !== "cpu" && /llvmpipe/i.test(d.description))).toBe(true);
    expect(b.backend.offloadedLayers).toBeGreaterThan(0);
    // identical losses would mean the run never left the CPU
    expect(b.losses[0]!.train).not.toBe(a.losses[0]!.train);
    expect(Math.abs(b.losses[0]!.train - a.losses[0]!.train)).toBeLessThan(EPOCH_1_TOLERANCE);
    expect(Math.abs(b.losses[1]!.train - a.losses[1]!.train)).toBeLessThan(EPOCH_2_TOLERANCE);
    expect(b.losses[1]!.train).toBeLessThan(b.losses[0]!.train);
  });

  it("takes no loss and no gradient from masked positions on the GPU kernels", async () => {
    const dir = await tempDir();
    const f = await writeTrainingFixture(dir);
    const model = new binding.Model(f.model, { gpuLayers: 999 });
    try {
      const fresh = writeProbeAdapter(binding, f.model, dir);
      const messages = ONE_ANSWER;
      const { tokens, labels } = toContext(encodeConversation(model, chatRenderer(model), { line: 1, messages }, true), 128, 2);
      const none = await loraBGradient(binding.Trainer, model, fresh, tokens, new Int32Array(tokens.length).fill(-1));
      expect(none.loss).toBe(0);
      expect(none.grad.every((g) => g === 0)).toBe(true);
      const some = await loraBGradient(binding.Trainer, model, fresh, tokens, labels);
      expect(some.loss).toBeGreaterThan(0);
      expect(some.grad.some((g) => g !== 0)).toBe(true);
    } finally {
      model.close();
    }
  });
});
