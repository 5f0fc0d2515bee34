import type { Command } from "commander";
import { resolve } from "node:path";
import { loadCorpus } from "../chatml/load-corpus.js";
import { loadConfig, noConfigNote } from "../config.js";
import { runCommand } from "./run-command.js";
import { CONFIG_OPTION, HUB_URL_OPTION, REGISTRY_OPTION } from "./options.js";
import { openRegistry } from "../train/run-registry.js";

interface PushFlags {
  hubUrl?: string;
  config?: string;
  private?: boolean;
  license?: string;
}

interface PushDatasetFlags extends PushFlags {
  export?: string;
}

interface PushAdapterFlags extends PushFlags {
  run: string;
  registry?: string;
  baseModel?: string;
}

function withCommonOptions(command: Command): Command {
  return command
    .option(...HUB_URL_OPTION)
    .option(...CONFIG_OPTION)
    .option("--private", "create the repository private (an existing one keeps its visibility)")
    .option("--license <id>", "license for the card's metadata (an SPDX id such as apache-2.0)");
}

// The Hub modules are loaded on use, so that other commands (the pre-commit hook's above all) start fast.
const hub = () => Promise.all([import("../hub/connection.js"), import("../hub/publish.js")]);

export function registerPush(program: Command): void {
  const push = program.command("push").description("publish to the Hugging Face Hub (token from HF_TOKEN)");
  withCommonOptions(push.command("dataset").description("upload the export (JSONL, ChatML, manifest) with a dataset card").argument("<repo>", "namespace/name"))
    .option("--export <dir>", "the export folder (default: the config's export folder)")
    .action((repo: string, flags: PushDatasetFlags) =>
      runCommand(async () => {
        const [{ hubConnection, parseRepoName }, { pushDataset }] = await hub();
        const name = parseRepoName(repo);
        const connection = hubConnection({ hubUrl: flags.hubUrl, requireToken: true });
        const loaded = await loadConfig(process.cwd(), flags.config);
        const exportDir = flags.export ? resolve(flags.export) : resolve(loaded.root, loaded.config.export.out);
        const corpus = await loadCorpus(loaded.config.corpus, { cwd: loaded.root, noMatchNote: noConfigNote(loaded) });
        const pushed = await pushDataset(connection, { repo: name, exportDir, corpus, private: flags.private, license: flags.license });
        process.stdout.write(`${pushed.created ? "created and pushed" : "pushed"} dataset ${name}: ${pushed.files.join(", ")}\n  ${pushed.commitUrl}\n`);
      }),
    );
  withCommonOptions(push.command("adapter").description("upload a run's GGUF adapter with a model card holding its eval table").argument("<repo>", "namespace/name"))
    .requiredOption("--run <id>", "the training run whose adapter to publish (e.g. v11)")
    .option(...REGISTRY_OPTION)
    .option("--base-model <id>", "the base model's Hub id, for the card's metadata (e.g. Qwen/Qwen3-4B)")
    .action((repo: string, flags: PushAdapterFlags) =>
      runCommand(async () => {
        const [{ hubConnection, parseRepoName }, { pushAdapter }] = await hub();
        const name = parseRepoName(repo);
        const connection = hubConnection({ hubUrl: flags.hubUrl, requireToken: true });
        const registry = openRegistry(await loadConfig(process.cwd(), flags.config), flags.registry);
        const pushed = await pushAdapter(connection, {
          repo: name,
          runId: flags.run,
          runs: await registry.list(),
          registryFile: registry.file,
          baseModel: flags.baseModel,
          private: flags.private,
          license: flags.license,
        });
        process.stdout.write(`${pushed.created ? "created and pushed" : "pushed"} model ${name}: ${pushed.files.join(", ")}\n  ${pushed.commitUrl}\n`);
      }),
    );
}
