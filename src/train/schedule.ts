import type { TrainConfig } from "../schema/train.js";

/**
 * Learning rate for optimizer step `step` (0-based) of `total`: linear warmup, then constant, linear or cosine
 * decay towards zero. It never reaches zero inside the run (llama.cpp's AdamW rejects a zero rate).
 */
export function learningRateAt(step: number, total: number, config: Pick<TrainConfig, "learningRate" | "schedule" | "warmupSteps">): number {
  const { learningRate: peak, schedule, warmupSteps } = config;
  if (step < warmupSteps) return (peak * (step + 1)) / (warmupSteps + 1);
  const decaySteps = Math.max(1, total - warmupSteps);
  const progress = Math.min((step - warmupSteps) / decaySteps, 1 - 1 / decaySteps);
  switch (schedule) {
    case "constant":
      return peak;
    case "linear":
      return peak * (1 - progress);
    case "cosine":
      return peak * 0.5 * (1 + Math.cos(Math.PI * progress));
  }
}
