// The public API of hew-corpus: everything the CLI does is reachable from scripts through these.
export * from "./schema/sample.js";
export * from "./schema/diagnostic.js";
export * from "./schema/verdict.js";
export * from "./schema/system-prompt.js";
export * from "./schema/config.js";
export * from "./schema/dedup.js";
export * from "./schema/export.js";
export * from "./schema/eval.js";

export { UserError } from "./util/errors.js";
export { writeFileAtomic } from "./util/atomic-write.js";
export { loadConfig, findConfigFile, type LoadedConfig } from "./config.js";

export { parseSamplesJsonl, readSamplesJsonl, writeSamplesJsonl, formatSamplesJsonl, canonicalSample, type LocatedSample } from "./chatml/jsonl.js";
export { loadCorpus, loadSamples, resolveCorpusFiles } from "./chatml/load-corpus.js";
export { toChatML, toChatMLDocument, parseChatML, IM_START, IM_END } from "./chatml/chatml-text.js";
export { extractCodeBlocks, findFences, isHewFence, type CodeBlock, type Fence } from "./chatml/code-blocks.js";
export { cleanAnswer, type CleanedAnswer } from "./chatml/clean-answer.js";
export {
  renderSystemPrompt,
  applySystemPrompt,
  diffSystemPrompts,
  loadSystemPrompts,
  getSystemPrompt,
  type SystemPromptDiff,
  type SystemPromptStore,
  type RuleChange,
} from "./chatml/system-prompt.js";

export { formatCheckerId, type Checker, type CheckOptions } from "./validate/checker.js";
export { hewChecker, parseVersionLine, type HewCheckerOptions } from "./validate/hew-checker.js";
export { resolveHewBinary, HewNotFoundError, unavailableChecker } from "./validate/hew-binary.js";
export { classifyRun, stderrDiagnostics } from "./validate/classify-run.js";
export { AbortError } from "./validate/run-process.js";
export { VerdictCache } from "./validate/verdict-cache.js";
export { VerdictLock } from "./validate/verdict-lock.js";
export { cachedChecker, type CachedCheckerOptions } from "./validate/cached-checker.js";
export { openChecker, type OpenCheckerOptions, type OpenedChecker } from "./validate/open-checker.js";
export { createJudge, type Judgement, type JudgeOptions } from "./validate/judge.js";
export { validateSamples, type BlockResult, type SampleResult, type ValidateOptions } from "./validate/validate-samples.js";
export { summarize, allPassed, formatValidationReport, validationReportJson, describeBlock, type ValidationFunnel } from "./validate/report.js";
export { stagedFiles, loadStagedSamples } from "./validate/staged.js";

export { loadQwen3Tokenizer, type ChatTokenizer } from "./chatml/tokens.js";

export { lexHew, HEW_KEYWORDS, type HewToken, type HewTokenKind } from "./dedup/hew-lexer.js";
export { codeTerms, codeWords, proseWords, PLACEHOLDERS } from "./dedup/terms.js";
export { jaccard, shingleSet, termHash } from "./dedup/hashing.js";
export { minhash, PERMUTATIONS } from "./dedup/minhash.js";
export { chooseBanding, candidateProbability, LshIndex, type Banding } from "./dedup/lsh.js";
export { fingerprint, type Fingerprint, type PromptAndCode, type ShinglingOptions } from "./dedup/fingerprint.js";
export { fingerprintAll, type FingerprintAllOptions } from "./dedup/fingerprint-pool.js";
export { findSimilarPairs, type SimilarPair } from "./dedup/similar-pairs.js";
export { dedupSamples, type DedupOptions, type DedupResult, type DuplicateCluster, type ClusterMember } from "./dedup/dedup.js";
export { chooseKept, promptVersionOrder, type KeepContext, type PromptVersionOrder } from "./dedup/keep-policy.js";
export { findContamination, type Leak, type LeakEvidence, type ContaminationOptions } from "./dedup/contamination.js";
export { formatDuplicates, duplicatesJson } from "./dedup/report.js";

export {
  prepareCorpus,
  exportTrainingSet,
  NothingToExportError,
  type PrepareCorpusOptions,
  type PreparedCorpus,
  type ExportTrainingSetOptions,
  type ExportedTrainingSet,
} from "./export/export-corpus.js";
export { prepareTrainingSet, type PrepareOptions, type PreparedTrainingSet, type SampleDecision } from "./export/pipeline.js";
export { writeTrainingSet, exportManifest, EXPORT_FILES, MANIFEST_FILE, type WriteOptions } from "./export/write.js";
export { readExportManifest } from "./export/manifest-file.js";
export { corpusStats, formatStats, tokenHistogram, type CorpusStats } from "./export/stats.js";
export { formatFunnel, formatDropped, checkerNotes } from "./export/report.js";

export * from "./schema/corrections.js";
export { classifyFailure, type FailureClassification, type FailureEvidence, type CheckOutcome } from "./corrections/classify.js";
export { failureRegistry, getFailureCategory } from "./corrections/registry.js";
export type { FailureCategory, DiagnosticMatcher, CategoryRule } from "./corrections/category.js";
export { SourceView, looksLikeProse } from "./corrections/source-view.js";
export type { CorrectionTemplate, TemplateInstance } from "./corrections/templates/template.js";
export { Picker } from "./corrections/picker.js";
export {
  generateCorrections,
  formatErrors,
  CORRECTION_FORMS,
  type CorrectionForm,
  type CategoryOutcome,
  type GenerateCorrectionsOptions,
  type Rejection,
} from "./corrections/generate.js";
export { appendSamples } from "./corrections/corpus-file.js";
export { readRunAnswers, type RunAnswer } from "./corrections/eval-run.js";
export { planCorrections, failureCounts, formatPlan, type CorrectionPlan, type CategoryPlan } from "./corrections/plan.js";
export { proposeRules, nextPromptVersion, nextVersionId, type RuleProposal } from "./corrections/rules.js";
export {
  applyFixes,
  fixFailingBlocks,
  fixedSample,
  writeFixedSamples,
  formatBlockDiff,
  formatFixes,
  type AppliedFix,
  type FixOutcome,
  type BlockFix,
  type FixRun,
} from "./validate/apply-fixes.js";

export { installHook, uninstallHook, type InstallHookOptions, type InstalledHook, type UninstalledHook } from "./hook/install.js";
export { renderHookScript, type HookCli, type HookScriptOptions } from "./hook/hook-script.js";

export * from "./schema/run.js";
export * from "./schema/train.js";
export * from "./train/index.js";
export { runRows, describeTrainConfig, formatPassRate, formatInterval, type RunRow } from "./report/run-rows.js";
export { formatRunsTable, formatRunsMarkdown } from "./report/runs-table.js";
export type { ReportData, CompositionCell, FunnelStep, TokenLengths } from "./report/report-data.js";
export { reportData, type ReportInput } from "./report/gather.js";
export { reportCharts, type Chart } from "./report/charts.js";
export { renderReportHtml } from "./report/html.js";

export { hubConnection, parseRepoName, DEFAULT_HUB_URL, type HubConnection, type HubConnectionOptions } from "./hub/connection.js";
export { pushFiles, pullFiles, type HubFile, type PushResult, type PulledFile } from "./hub/transfer.js";
export { pushDataset, pushAdapter, type PushOptions, type PushDatasetOptions, type PushAdapterOptions, type PushedFiles } from "./hub/publish.js";
export { readExport, exportComposition, type ExportContents } from "./hub/export-contents.js";
export { renderDatasetCard, type DatasetCardInput } from "./hub/dataset-card.js";
export { renderModelCard, type ModelCardInput } from "./hub/model-card.js";

export { evaluateModel, summarizeEvalRunFile, type EvaluateModelOptions, type EvaluateModelResult } from "./eval/evaluate.js";
export { runEval, type RunEvalOptions, type EvalProgress } from "./eval/run-eval.js";
export { loadPromptSet, selectPrompts, type LoadedPromptSet, type PromptFilter } from "./eval/prompt-set.js";
export { ModelRequestError, type ModelClient, type Completion, type GenerateOptions } from "./eval/model-client.js";
export { httpModelClient, chatCompletionsUrl, type HttpClientOptions } from "./eval/http-client.js";
export { llamaCppModelClient, type LlamaCppClientOptions } from "./eval/llama-cpp-client.js";
export { openModel, withAdapterHashes, type OpenModelOptions } from "./eval/open-model.js";
export { passAtK, wilsonInterval, differenceInterval, Z95 } from "./eval/score.js";
export { summarizeEvalRun, evalResultsOf } from "./eval/summary.js";
export { messageShape, failureGroup } from "./eval/failure-group.js";
export { evalRunFile, formatEvalRun, writeEvalRun, parseEvalRun, readEvalRun, findEvalRun } from "./eval/run-file.js";
export {
  formatEvalSummary,
  compareEvalSummaries,
  formatComparison,
  describeModel,
  type EvalComparison,
  type RateChange,
  type Change,
  type ReportOptions,
} from "./eval/report.js";
