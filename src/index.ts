// The public API of hew-corpus: the entry points a script calls, the schemas (every type is z.infer of
// one), and the extension points (checkers, failure categories, correction templates, model clients,
// training backends). Everything else is internal and may change without notice.

// Schemas and their types.
export * from "./schema/sample.js";
export * from "./schema/diagnostic.js";
export * from "./schema/verdict.js";
export * from "./schema/system-prompt.js";
export * from "./schema/config.js";
export * from "./schema/dedup.js";
export * from "./schema/export.js";
export * from "./schema/eval.js";
export * from "./schema/corrections.js";
export * from "./schema/run.js";
export * from "./schema/train.js";
export * from "./schema/synth.js";
export * from "./schema/ingest.js";

// The error every entry point throws for a user's mistake (its message is one clear line).
export { UserError } from "./util/errors.js";

// Config, corpus and system prompts.
export { loadConfig, findConfigFile, type LoadedConfig } from "./config.js";
export { loadCorpus, type LoadCorpusOptions } from "./chatml/load-corpus.js";
export { readSamplesJsonl, writeSamplesJsonl, type LocatedSample } from "./chatml/jsonl.js";
export { loadSystemPrompts, getSystemPrompt, renderSystemPrompt, diffSystemPrompts, type SystemPromptStore, type SystemPromptDiff } from "./chatml/system-prompt.js";
export { fitSystemPrompt, type FittedSystemPrompt, type PromptBudgetOptions } from "./chatml/prompt-budget.js";

// Validate: the checker chain (an extension point: any `Checker` fits) and the validation run.
export type { Checker, CheckOptions } from "./validate/checker.js";
export { hewChecker, type HewCheckerOptions } from "./validate/hew-checker.js";
export { cachedChecker, type CachedCheckerOptions } from "./validate/cached-checker.js";
export { openChecker, type OpenCheckerOptions, type OpenedChecker } from "./validate/open-checker.js";
export { validateSamples, type BlockResult, type SampleResult, type ValidateOptions } from "./validate/validate-samples.js";
export { summarize, formatValidationReport, type ValidationFunnel } from "./validate/report.js";
export { validateCorpus, type ValidateCorpusOptions, type ValidateCorpusResult } from "./validate/validate-corpus.js";
export { lockDrift, formatLockDrift, type LockDrift, type BlockDrift, type DriftKind } from "./validate/drift.js";

// Dedup and export.
export { dedupSamples, type DedupOptions, type DedupResult } from "./dedup/dedup.js";
export { findContamination, type Leak } from "./dedup/contamination.js";
export { prepareTrainingSet, type PrepareOptions, type PreparedTrainingSet } from "./export/pipeline.js";
export { writeTrainingSet, type WriteOptions } from "./export/write.js";
export {
  prepareCorpus,
  exportTrainingSet,
  NothingToExportError,
  type PrepareCorpusOptions,
  type PreparedCorpus,
  type ExportTrainingSetOptions,
  type ExportedTrainingSet,
} from "./export/export-corpus.js";
export { readExportManifest } from "./export/manifest-file.js";
export { corpusStats, type CorpusStats } from "./export/stats.js";

// Failures: the taxonomy (an extension point: categories and their templates) and the classifier.
export { classifyFailure, type FailureClassification, type FailureEvidence, type CheckOutcome } from "./failures/classify.js";
export { failureRegistry, getFailureCategory } from "./failures/registry.js";
export type { FailureCategory, DiagnosticMatcher, CategoryRule } from "./failures/category.js";
export type { SourceView } from "./failures/source-view.js";
export type { CorrectionTemplate, TemplateInstance } from "./failures/templates/template.js";
export type { Picker } from "./failures/picker.js";

// Eval: the entry point and the model clients (an extension point: any `ModelClient` fits).
export { evaluateModel, summarizeEvalRunFile, type EvaluateModelOptions, type EvaluateModelResult } from "./eval/evaluate.js";
export { loadPromptSet, type LoadedPromptSet } from "./eval/prompt-set.js";
export type { ModelClient, Completion, GenerateOptions } from "./eval/model-client.js";
export { httpModelClient, type HttpClientOptions } from "./eval/http-client.js";
export { anthropicModelClient, type AnthropicClientOptions } from "./eval/anthropic-client.js";
export { llamaCppModelClient, type LlamaCppClientOptions } from "./eval/llama-cpp-client.js";
export { readEvalRun } from "./eval/run-file.js";
export { evalResultsOf } from "./eval/summary.js";

// Corrections and the next system prompt.
export { generateCorrections, type GenerateCorrectionsOptions, type CategoryOutcome } from "./corrections/generate.js";
export { planCorrections, type CorrectionPlan } from "./corrections/plan.js";
export { proposeRules, nextPromptVersion, type RuleProposal } from "./corrections/rules.js";
export { checkPromptRules, formatPromptCheck, promptCheckPassed, type PromptCheck, type RuleCheck } from "./corrections/rule-examples.js";
export { projectDrift, formatProjectDrift, type ProjectDriftOptions, type ProjectDriftResult } from "./corrections/project-drift.js";

// Growing the corpus: synthesis by a teacher model with compiler-in-the-loop repair, and ingest of existing programs.
export { synthesizeCorpus, type SynthesizeOptions, type SynthesizeResult } from "./synth/synthesize.js";
export { ingestPrograms, type IngestOptions, type IngestResult } from "./ingest/ingest.js";

// Training (an extension point: any `TrainingBackend` fits) and the run registry.
export type { TrainingBackend, TrainingJob, TrainingEvent, TrainingResult, TrainOptions } from "./train/backend.js";
export { LlamaCppBackend, type LlamaCppBackendOptions } from "./train/llama-backend.js";
export { loadTrainConfig, type LoadedTrainConfig } from "./train/run-config.js";
export { trainRun, type TrainRunOptions } from "./train/train-run.js";
export { RunRegistry } from "./train/run-registry.js";

// Reports, the Hub and the pre-commit hook.
export { reportData, type ReportInput } from "./report/gather.js";
export { renderReportHtml } from "./report/html.js";
export type { ReportData } from "./report/report-data.js";
export { hubConnection, type HubConnection, type HubConnectionOptions } from "./hub/connection.js";
export { pushDataset, pushAdapter, type PushDatasetOptions, type PushAdapterOptions } from "./hub/publish.js";
export { pullFiles } from "./hub/transfer.js";
export { installHook, uninstallHook, type InstallHookOptions } from "./hook/install.js";
