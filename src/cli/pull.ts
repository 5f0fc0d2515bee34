import type { Command } from "commander";
import { resolve } from "node:path";
import { runCommand } from "./run-command.js";
import { HUB_URL_OPTION } from "./options.js";

interface PullFlags {
  out?: string;
  revision?: string;
  hubUrl?: string;
}

const KINDS = { dataset: "dataset", adapter: "model" } as const;

export function registerPull(program: Command): void {
  const pull = program.command("pull").description("download from the Hugging Face Hub (HF_TOKEN for private repositories)");
  for (const [kind, type] of Object.entries(KINDS)) {
    pull
      .command(kind)
      .description(`download every file of ${kind === "adapter" ? "an" : "a"} ${kind} repository, each checked against the Hub's hash`)
      .argument("<repo>", "namespace/name")
      .option("-o, --out <dir>", "where to put the files (default: a folder named after the repository)")
      .option("--revision <rev>", "branch, tag or commit", "main")
      .option(...HUB_URL_OPTION)
      .action((repo: string, flags: PullFlags) =>
        runCommand(async () => {
          const [{ hubConnection, parseRepoName }, { pullFiles }] = await Promise.all([import("../hub/connection.js"), import("../hub/transfer.js")]);
          const name = parseRepoName(repo);
          const out = resolve(flags.out ?? name.split("/")[1]!);
          const pulled = await pullFiles(hubConnection({ hubUrl: flags.hubUrl }), { type, name }, out, flags.revision);
          process.stdout.write(`pulled ${kind} ${name} into ${out}:\n${pulled.map((p) => `  ${p.path} (${p.size} bytes)`).join("\n")}\n`);
        }),
      );
  }
}
