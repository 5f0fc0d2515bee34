import { describe, expect, it } from "vitest";
import { offloadedLayers, trainingDevices } from "../../src/train/devices.js";
import type { BackendDevice } from "../../src/train/native/binding.js";
import { UserError } from "../../src/util/errors.js";

const cpu: BackendDevice = { name: "CPU", description: "AMD Ryzen 7 8845HS", type: "cpu", memoryBytes: 32e9 };
const radeon: BackendDevice = { name: "Vulkan0", description: "AMD Radeon 780M", type: "igpu", memoryBytes: 16e9 };

describe("training devices", () => {
  it("refuses a GPU backend that found no GPU, instead of training on the CPU under a GPU label", () => {
    for (const backend of ["vulkan", "cuda", "hip"] as const) {
      const err = (() => {
        try {
          trainingDevices(backend, [cpu]);
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(UserError);
      expect((err as Error).message).toMatch(new RegExp(`^backend ${backend} found no GPU device \\(devices: CPU \\(cpu\\)\\); .*or train with backend: cpu$`));
    }
    expect(() => trainingDevices("vulkan", [cpu])).toThrow(/GGML_VK_VISIBLE_DEVICES=0/);
  });

  it("keeps every device of a run that has a GPU, and the CPU backend needs none", () => {
    expect(trainingDevices("vulkan", [cpu, radeon])).toEqual([cpu, radeon]);
    expect(trainingDevices("cpu", [cpu])).toEqual([cpu]);
  });

  it("counts offloaded layers as llama.cpp does: the output layer is one more", () => {
    expect(offloadedLayers("vulkan", 999, 36)).toBe(37);
    expect(offloadedLayers("cuda", 20, 36)).toBe(20);
    expect(offloadedLayers("cpu", 999, 36)).toBe(0);
  });
});
