import { execFile, execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { defaultCacheDir } from "../../src/train/native/build.js";
import { llamaSourceVersion, patchFiles, preparedLlamaSource } from "../../src/train/native/llama-source.js";
import { REPO_ROOT, tempDir } from "../helpers/fixtures.js";

/**
 * The CUDA kernels hew-corpus patches, compiled for one architecture: no GPU and no cuBLAS are needed for that
 * (test/fixtures/cuda holds the few cuBLAS declarations ggml-cuda's headers name). HIP builds the same sources.
 */
function nvcc(): string | undefined {
  try {
    execFileSync("nvcc", ["--version"], { stdio: "ignore" });
    return "nvcc";
  } catch {
    return undefined;
  }
}

const NVCC = nvcc();
const ARCH = process.env.HEW_CORPUS_CUDA_ARCH ?? "90";
if (!NVCC) console.warn("CUDA compile check skipped: nvcc is not on PATH");

/** The .cu files any patch touches. */
function patchedCudaSources(): string[] {
  const files = new Set<string>();
  for (const patch of patchFiles()) for (const m of readFileSync(patch, "utf8").matchAll(/^diff --git a\/(\S+\.cu) /gm)) files.add(m[1]!);
  return [...files].sort();
}

describe.skipIf(!NVCC)(`the patched CUDA kernels (nvcc, sm_${ARCH})`, () => {
  it("compile", { timeout: 600_000 }, async () => {
    const sources = patchedCudaSources();
    expect(sources).toContain("ggml/src/ggml-cuda/cross-entropy-loss.cu");
    const llama = await preparedLlamaSource(defaultCacheDir(), await llamaSourceVersion());
    const out = await tempDir();
    const include = ["ggml/include", "ggml/src", "ggml/src/ggml-cuda"].flatMap((d) => ["-I", join(llama, d)]);
    for (const source of sources) {
      const args = [`-arch=sm_${ARCH}`, "-std=c++17", "-O2", "-c", join(llama, source), "-I", join(REPO_ROOT, "test", "fixtures", "cuda"), ...include, "-o", join(out, "kernel.o")];
      await promisify(execFile)(NVCC!, args, { maxBuffer: 16 << 20 }).catch((err: { stderr?: string }) => {
        throw new Error(`nvcc failed on ${source}:\n${err.stderr ?? String(err)}`);
      });
    }
  });
});
