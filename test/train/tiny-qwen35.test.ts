import { join } from "node:path";
import { getLlama, LlamaCompletion, LlamaLogLevel } from "node-llama-cpp";
import { describe, expect, it } from "vitest";
import { writeTinyQwen35Gguf } from "../../support/tiny-gguf-qwen35.js";
import { tempDir } from "../helpers/fixtures.js";

describe("the tiny qwen35 model", () => {
  it("loads in node-llama-cpp as qwen35 and generates", async () => {
    const path = join(await tempDir(), "qwen35.gguf");
    await writeTinyQwen35Gguf(path, { contextLength: 256, seed: 3 });
    const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
    const model = await llama.loadModel({ modelPath: path });
    try {
      expect(model.fileInfo.metadata.general.architecture).toBe("qwen35");
      const context = await model.createContext({ contextSize: 128, threads: 1 });
      const out = await new LlamaCompletion({ contextSequence: context.getSequence() }).generateCompletion("hello", { maxTokens: 8, temperature: 0 });
      await context.dispose();
      expect(out.length).toBeGreaterThan(0);
    } finally {
      await model.dispose();
    }
  });
});
