#!/usr/bin/env node
import { Command } from "commander";
import { readFileSync } from "node:fs";
import { registerHook } from "./hook.js";
import { registerEval } from "./eval.js";
import { registerInit } from "./init.js";
import { registerValidate } from "./validate.js";
import { registerDrift } from "./drift.js";
import { registerDedup } from "./dedup.js";
import { registerStats } from "./stats.js";
import { registerExport } from "./export.js";
import { registerTrain } from "./train.js";
import { registerCorrections } from "./corrections.js";
import { registerPrompt } from "./prompt.js";
import { registerRuns } from "./runs.js";
import { registerReport } from "./report.js";
import { registerPush } from "./push.js";
import { registerPull } from "./pull.js";
import { registerSynth } from "./synth.js";
import { registerIngest } from "./ingest.js";

const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };

const program = new Command("hew-corpus")
  .description("A compiler-gated fine-tuning corpus for the Hew language")
  .version(pkg.version)
  .showHelpAfterError()
  // Options belong to the command they follow, so `eval --json` and `eval show --json` stay apart.
  .enablePositionalOptions()
  .configureOutput({ outputError: (text, write) => write(`hew-corpus: ${text.replace(/^error: /, "")}`) })
  // A usage mistake (unknown flag, missing option, bad value) exits 2 like every other user error; help
  // and --version exit 0. Subcommands registered below inherit this.
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));

registerInit(program);
registerValidate(program);
registerDrift(program);
registerDedup(program);
registerStats(program);
registerExport(program);
registerTrain(program);
registerCorrections(program);
registerPrompt(program);
registerRuns(program);
registerReport(program);
registerPush(program);
registerPull(program);
registerHook(program);
registerEval(program);
registerSynth(program);
registerIngest(program);

await program.parseAsync(process.argv);
