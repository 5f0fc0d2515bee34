import type { Command } from "commander";
import { relative, resolve } from "node:path";
import { loadConfig } from "../config.js";
import { ingestPrograms } from "../ingest/ingest.js";
import { formatIngestResult } from "../ingest/report.js";
import type { TeacherSpecInput } from "../schema/synth.js";
import { UserError } from "../util/errors.js";
import { collect, parsePositiveInt } from "./options.js";
import { createProgress } from "./progress.js";
import { interruptSignal, runCommand } from "./run-command.js";

interface IngestFlags {
  config?: string;
  include?: string[];
  exclude?: string[];
  backTranslate?: boolean;
  hew?: string;
  cache: boolean;
  checks?: number;
  out?: string;
  dryRun?: boolean;
  json?: boolean;
}

export function registerIngest(program: Command): void {
  program
    .command("ingest")
    .description("turn the Hew programs of a folder or git repository (.hew files, ```hew blocks in Markdown) into checked samples")
    .argument("<source>", "a folder, or a git repository URL (cloned shallow)")
    .option("-c, --config <file>", "config file (default: nearest hew-corpus.config.yaml)")
    .option("--include <glob>", "files to read, relative to the source (repeatable; default: **/*.hew and **/*.md)", collect(String))
    .option("--exclude <glob>", "files to leave out (repeatable; node_modules, .git and target always are)", collect(String))
    .option("--back-translate", "ask the config's synth.teacher for the request of a program that has none (else a template)")
    .option("--hew <path>", "hew binary (default: HEW_BIN, the config, then `hew` on PATH)")
    .option("--no-cache", "do not read or write the verdict cache")
    .option("-j, --checks <n>", "hew processes at once (default: the config's, then available parallelism)", parsePositiveInt)
    .option("-o, --out <file>", "corpus file to append admitted samples to (default: the config's ingest.out)")
    .option("--dry-run", "print what would be admitted, write nothing")
    .option("--json", "print the funnel and decisions as JSON")
    .action((source: string, flags: IngestFlags) =>
      runCommand(async () => {
        const config = await loadConfig(process.cwd(), flags.config);
        let teacher: TeacherSpecInput | undefined;
        if (flags.backTranslate) {
          teacher = config.config.synth.teacher;
          if (!teacher) throw new UserError("--back-translate needs a teacher: set synth.teacher in the config");
        }
        const progress = createProgress("ingest");
        try {
          const result = await ingestPrograms({
            config,
            source,
            include: flags.include,
            exclude: flags.exclude,
            teacher,
            hew: flags.hew,
            cache: flags.cache,
            checkConcurrency: flags.checks,
            out: flags.out && resolve(flags.out),
            dryRun: flags.dryRun,
            signal: interruptSignal(),
            onProgress: (done, total) => progress.update(done, total),
          });
          progress.stop();
          if (flags.json) {
            const { source: src, funnel, decisions, usage, teacherErrors, written } = result;
            process.stdout.write(JSON.stringify({ source: src, funnel, decisions, usage, teacherErrors, written }, null, 2) + "\n");
          } else process.stdout.write(formatIngestResult(result, { dryRun: flags.dryRun }) + "\n");
          if (result.written) process.stderr.write(`hew-corpus: wrote ${result.written.added} new samples to ${relative(process.cwd(), result.written.file) || result.written.file} (${result.written.total} in the file)\n`);
          else process.stderr.write(`hew-corpus: dry run: ${result.admitted.length} samples would be admitted, nothing written\n`);
          return result.funnel.unchecked + result.funnel.checkerError > 0 ? 1 : 0;
        } finally {
          progress.stop();
        }
      }),
    );
}
