import { describe, expect, it } from "vitest";
import * as api from "../src/index.js";

describe("the public API", () => {
  it("exports the entry points, schemas and extension points", () => {
    for (const name of [
      "loadConfig",
      "loadCorpus",
      "openChecker",
      "hewChecker",
      "cachedChecker",
      "validateSamples",
      "prepareTrainingSet",
      "writeTrainingSet",
      "evaluateModel",
      "classifyFailure",
      "failureRegistry",
      "generateCorrections",
      "proposeRules",
      "trainRun",
      "reportData",
      "pushDataset",
      "installHook",
      "SampleSchema",
      "ConfigSchema",
      "VerdictSchema",
      "UserError",
    ]) {
      expect(api, name).toHaveProperty(name);
    }
  });

  it("keeps internals out", () => {
    const exported = Object.keys(api);
    for (const name of ["PERMUTATIONS", "termHash", "loadBinding", "minhash", "lexHew", "classifyRun", "stderrDiagnostics", "formatFunnel", "Picker", "SourceView", "mulberry32"]) {
      expect(exported, name).not.toContain(name);
    }
  });
});
