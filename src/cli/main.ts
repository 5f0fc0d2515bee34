#!/usr/bin/env node
import { Command } from "commander";
import { readFileSync } from "node:fs";
import { registerInit } from "./init.js";
import { registerTrain } from "./train.js";
import { registerValidate } from "./validate.js";
import { registerDedup } from "./dedup.js";
import { registerStats } from "./stats.js";
import { registerExport } from "./export.js";
import { registerCorrections } from "./corrections.js";
import { registerPrompt } from "./prompt.js";

const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };

const program = new Command("hew-corpus")
  .description("A compiler-gated fine-tuning corpus for the Hew language")
  .version(pkg.version)
  .showHelpAfterError()
  .configureOutput({ outputError: (text, write) => write(`hew-corpus: ${text.replace(/^error: /, "")}`) });

registerInit(program);
registerValidate(program);
registerDedup(program);
registerStats(program);
registerExport(program);
registerCorrections(program);
registerPrompt(program);
registerTrain(program);

await program.parseAsync(process.argv);
