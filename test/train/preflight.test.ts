import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { deathMessage } from "../../src/train/llama-backend.js";
import { preflightBaseModel } from "../../src/train/preflight.js";
import { TARGET_MODULES } from "../../src/schema/train.js";
import { UserError } from "../../src/util/errors.js";
import { GgufWriter } from "../../support/gguf-writer.js";
import { writeTinyLlamaGguf } from "../../support/tiny-gguf.js";
import { tempDir } from "../helpers/fixtures.js";

const ALL = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"] as const;

/** A GGUF header with an architecture and one projection: enough for the preflight, which loads no weights. */
async function headerOnly(architecture: string): Promise<string> {
  const path = join(await tempDir(), `${architecture}.gguf`);
  const w = new GgufWriter().string("general.architecture", architecture).tensor("blk.0.attn_q.weight", [32, 32], new Float32Array(32 * 32));
  await writeFile(path, w.toBytes());
  return path;
}

describe("training preflight (before any weight is loaded)", () => {
  it("accepts llama and qwen3 in every tested weight type, and summarises them", async () => {
    const dir = await tempDir();
    for (const architecture of ["llama", "qwen3"] as const) {
      for (const weightType of ["f32", "f16", "bf16", "q8_0", "q4_k"] as const) {
        const path = join(dir, `${architecture}-${weightType}.gguf`);
        await writeTinyLlamaGguf(path, { architecture, weightType, embeddingLength: 256, layers: 2, feedForwardLength: 256 });
        const summary = await preflightBaseModel(path, ALL);
        expect(summary).toMatchObject({ architecture, layers: 2 });
        // 14 projections, token_embd and output in the weight type; 5 norms in F32 (qwen3's Q/K norms add 4)
        const norms = architecture === "qwen3" ? 9 : 5;
        expect(summary.weightTypes).toEqual(weightType === "f32" ? { F32: 16 + norms } : { [weightType.toUpperCase()]: 16, F32: norms });
      }
    }
  });

  it("names the ops without a backward pass for an architecture that cannot train yet", async () => {
    const err = await preflightBaseModel(await headerOnly("qwen35moe"), ["q_proj"]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(/architecture qwen35moe cannot train yet: ggml has no backward pass for MUL_MAT_ID/);
    expect((err as Error).message.split("\n")).toHaveLength(1);
  });

  it("adapts by default the projections a model has, and refuses a listed one it lacks", async () => {
    await expect(preflightBaseModel(await headerOnly("llama"), TARGET_MODULES)).resolves.toMatchObject({ architecture: "llama" });
    await expect(preflightBaseModel(await headerOnly("qwen35"), ["in_proj_qkv"])).rejects.toThrow(/in_proj_qkv \(attn_qkv\) is in no layer of this qwen35 model/);
  });

  it("names an architecture it does not support", async () => {
    await expect(preflightBaseModel(await headerOnly("gpt2"), ["q_proj"])).rejects.toThrow(/architecture gpt2 is not one the training backend supports \(supported: llama, qwen3, qwen35\)/);
  });

  it("names a target module the model does not have", async () => {
    await expect(preflightBaseModel(await headerOnly("llama"), ["q_proj", "k_proj"])).rejects.toThrow(/lora\.targetModules: k_proj \(attn_k\) is in no layer of this llama model/);
  });

  it("names a file that is not GGUF", async () => {
    const path = join(await tempDir(), "model.safetensors");
    await writeFile(path, "not a gguf file at all");
    await expect(preflightBaseModel(path, ["q_proj"])).rejects.toThrow(/model\.safetensors: cannot read it as a GGUF model .*docs\/training\.md/);
  });
});

describe("a training process that dies", () => {
  it("is one line: the signal, llama.cpp's last message and what to try", () => {
    const stderr = [
      "llama_context: n_ctx = 256",
      "/root/.cache/hew-corpus/llama.cpp/ggml/src/ggml.c:7212: GGML_ASSERT(cgraph->n_nodes < cgraph->size) failed",
      "#0  0x00007f in ggml_abort ()",
      "#1  0x00007f in ggml_graph_add_node ()",
    ].join("\n");
    const message = deathMessage("SIGABRT", stderr);
    expect(message.split("\n")).toHaveLength(1);
    expect(message).toMatch(/^the training process died \(SIGABRT\) in llama\.cpp: .*GGML_ASSERT\(cgraph->n_nodes < cgraph->size\) failed; run again with --verbose/);
  });

  it("says memory ran out when the kernel killed it", () => {
    expect(deathMessage("SIGKILL", "")).toBe("the training process died (SIGKILL); it probably ran out of memory: try a smaller contextLength, fewer lora.targetModules or a smaller lora.rank");
  });
});
