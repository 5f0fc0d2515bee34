import type { Backend } from "../schema/train.js";
import { UserError } from "../util/errors.js";
import type { BackendDevice } from "./native/binding.js";

const ACCELERATORS: ReadonlySet<BackendDevice["type"]> = new Set(["gpu", "igpu", "accel"]);

/**
 * The devices a run trains on. A GPU backend without a GPU device would train entirely on the CPU and record a
 * GPU run; that is refused here, before the model is loaded, with what to do about it.
 */
export function trainingDevices(backend: Backend, devices: readonly BackendDevice[]): BackendDevice[] {
  if (backend === "cpu" || devices.some((d) => ACCELERATORS.has(d.type))) return [...devices];
  const seen = devices.map((d) => `${d.name} (${d.type})`).join(", ") || "none";
  const hint =
    backend === "vulkan"
      ? "check the driver with `vulkaninfo --summary`; a CPU-type Vulkan device such as lavapipe is used only when named, e.g. GGML_VK_VISIBLE_DEVICES=0"
      : backend === "cuda"
        ? "check the driver with `nvidia-smi`; CUDA_VISIBLE_DEVICES may hide every GPU"
        : "check the driver with `rocminfo`; an iGPU such as the Radeon 780M also needs HSA_OVERRIDE_GFX_VERSION=11.0.0";
  throw new UserError(`backend ${backend} found no GPU device (devices: ${seen}); ${hint}; or train with backend: cpu`);
}

/** What llama.cpp offloads of a model with `layers` blocks when asked for `gpuLayers`: the output layer counts too. */
export function offloadedLayers(backend: Backend, gpuLayers: number, layers: number): number {
  return backend === "cpu" ? 0 : Math.min(gpuLayers, layers + 1);
}
