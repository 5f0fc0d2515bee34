export type { EpochLoss, SkippedSample, TrainOptions, TrainingBackend, TrainingEvent, TrainingJob, TrainingResult } from "./backend.js";
export { encodeConversation, parseTrainingJsonl, readTrainingJsonl, toContext, type Conversation, type EncodedConversation } from "./dataset.js";
export { LlamaCppBackend, type LlamaCppBackendOptions } from "./llama-backend.js";
export { backendFlags, defaultCacheDir, ensureLlamaServer, ensureNativeAddon, type NativeAddon, type NativeBuild, type NativeBuildOptions, type NativeBuildProgress } from "./native/build.js";
export { loadBinding, type Binding, type NativeModel, type NativeTrainer } from "./native/binding.js";
export { loadTrainConfig, type LoadedTrainConfig } from "./run-config.js";
export { DEFAULT_REGISTRY, RunRegistry } from "./run-registry.js";
export { learningRateAt } from "./schedule.js";
export { corpusIdentity, trainRun, type CorpusIdentity, type TrainRunOptions } from "./train-run.js";
