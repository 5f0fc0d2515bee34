import type { Command } from "commander";
import { shellQuote } from "../hook/hook-script.js";
import { installHook, uninstallHook, type InstalledHook } from "../hook/install.js";
import { runCommand } from "./run-command.js";

function describeCli(installed: InstalledHook): string {
  return installed.cli.kind === "local"
    ? `runs the project's ${installed.cli.path} (npm install keeps it current)`
    : `runs ${installed.cli.argv.map(shellQuote).join(" ")}`;
}

const PREVIOUS: Record<InstalledHook["previous"], string> = {
  none: "",
  "hew-corpus": " (replacing an earlier hew-corpus hook)",
  replaced: " (replacing the hook that was there)",
  chained: " (the hook that was there runs first)",
};

export function registerHook(program: Command): void {
  const hook = program.command("hook").description("the git pre-commit hook that validates staged samples");
  hook
    .command("install")
    .description("install a pre-commit hook that runs `hew-corpus validate --staged`")
    .option("--chain", "keep an existing pre-commit hook and run it first")
    .option("--force", "replace an existing pre-commit hook")
    .action((flags: { chain?: boolean; force?: boolean }) =>
      runCommand(async () => {
        const installed = await installHook({ cwd: process.cwd(), chain: flags.chain, force: flags.force });
        process.stdout.write(`installed ${installed.file}${PREVIOUS[installed.previous]}\n`);
        process.stdout.write(`  validates staged samples from ${installed.dir === "." ? "the repository top" : installed.dir}; ${describeCli(installed)}\n`);
      }),
    );
  hook
    .command("uninstall")
    .description("remove the hew-corpus pre-commit hook (and restore a chained one)")
    .action(() =>
      runCommand(async () => {
        const removed = await uninstallHook(process.cwd());
        process.stdout.write(`removed ${removed.file}${removed.restored ? "; the hook it chained is back in place" : ""}\n`);
      }),
    );
}
