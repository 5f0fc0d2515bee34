#!/usr/bin/env node
import { Command } from "commander";
import { readFileSync } from "node:fs";
import { registerEval } from "./eval.js";
import { registerInit } from "./init.js";
import { registerValidate } from "./validate.js";

const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };

const program = new Command("hew-corpus")
  .description("A compiler-gated fine-tuning corpus for the Hew language")
  .version(pkg.version)
  .showHelpAfterError()
  // Options belong to the command they follow, so `eval --json` and `eval show --json` stay apart.
  .enablePositionalOptions()
  .configureOutput({ outputError: (text, write) => write(`hew-corpus: ${text.replace(/^error: /, "")}`) });

registerInit(program);
registerValidate(program);
registerEval(program);

await program.parseAsync(process.argv);
