import { describe, expect, it } from "vitest";
import { backendFlags, buildFailureCause } from "../../src/train/native/build.js";

describe("native build flags", () => {
  it("keys CUDA architectures and HIP targets into the flags, so each gets its own build", () => {
    expect(backendFlags({ backend: "cuda", cudaArchitectures: "86;90", nativeCpu: false })).toEqual(expect.arrayContaining(["-DGGML_CUDA=ON", "-DCMAKE_CUDA_ARCHITECTURES=86;90"]));
    expect(backendFlags({ backend: "cuda", nativeCpu: false })).not.toEqual(expect.arrayContaining([expect.stringMatching(/CUDA_ARCHITECTURES/)]));
    const hip = backendFlags({ backend: "hip", amdgpuTargets: "gfx1100;gfx1103", nativeCpu: false });
    expect(hip).toContain("-DGPU_TARGETS=gfx1100;gfx1103");
    expect(hip.join(" ")).not.toContain("AMDGPU_TARGETS");
  });
});

describe("a failed build's message", () => {
  it("keeps a CMake error with the lines that explain it", () => {
    const log = [
      "-- Found Vulkan: /usr/lib/x86_64-linux-gnu/libvulkan.so",
      "CMake Error at ggml/src/ggml-vulkan/CMakeLists.txt:12 (find_package):",
      '  Could not find a package configuration file provided by "SPIRV-Headers"',
      "  with any of the following names:",
      "    SPIRV-HeadersConfig.cmake",
      "-- Configuring incomplete, errors occurred!",
    ].join("\n");
    const cause = buildFailureCause(log);
    expect(cause).toContain("CMake Error at ggml/src/ggml-vulkan/CMakeLists.txt:12");
    expect(cause).toContain('Could not find a package configuration file provided by "SPIRV-Headers"');
  });

  it("keeps the compiler's error and its context, not only lines that say error", () => {
    const log = [
      "[ 40%] Building CXX object ggml/src/ggml-vulkan/CMakeFiles/ggml-vulkan.dir/ggml-vulkan.cpp.o",
      "ggml-vulkan.cpp:7510:22: error: 'LayerSettingEXT' is not a member of 'vk'",
      " 7510 |     std::vector<vk::LayerSettingEXT> settings = {",
      "      |                      ^~~~~~~~~~~~~~~",
    ].join("\n");
    expect(buildFailureCause(log).split("\n")).toEqual(log.split("\n").slice(1));
  });

  it("falls back to the log's tail when nothing looks like an error", () => {
    const log = Array.from({ length: 50 }, (_, i) => `line ${i}`).join("\n");
    const cause = buildFailureCause(log, 5).split("\n");
    expect(cause).toEqual(["line 45", "line 46", "line 47", "line 48", "line 49"]);
  });
});
