import { spawn } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { availableParallelism, homedir } from "node:os";
import { dirname, join } from "node:path";
import type { Backend } from "../../schema/train.js";
import { writeFileAtomic } from "../../util/atomic-write.js";
import { UserError } from "../../util/errors.js";
import { sha256Hex } from "../../util/hash.js";
import { NATIVE_DIR, llamaSourceVersion, preparedLlamaSource } from "./llama-source.js";
import { withBuildLock } from "./build-lock.js";

const require = createRequire(import.meta.url);

export interface NativeBuildOptions {
  backend: Backend;
  /** HIP: GPU architectures, e.g. "gfx1103". */
  amdgpuTargets?: string;
  /** Optimise for this machine's CPU (-march=native); on by default, HEW_CORPUS_GGML_NATIVE=0 turns it off. */
  nativeCpu?: boolean;
  /** Cache folder; HEW_CORPUS_CACHE or ~/.cache/hew-corpus by default. */
  cacheDir?: string;
  /** Build jobs; the machine's available parallelism by default. */
  jobs?: number;
  /** Human-readable progress: a line when a build starts, then percentages. */
  onProgress?: (event: NativeBuildProgress) => void;
}

export type NativeBuildProgress = { phase: "source" | "configure" | "done"; message: string } | { phase: "compile"; percent: number };

/** A built target of the llama.cpp tree: the training addon, or llama-server. */
export interface NativeBuild {
  /** The built file (`hew_train.node`, `llama-server`). */
  path: string;
  /** The CMake options it was built with. */
  flags: string[];
  /** The llama.cpp commit it was built from. */
  llamaCommit: string;
  /** True when this call compiled it, false when the cache had it. */
  built: boolean;
}
export type NativeAddon = NativeBuild;

export function defaultCacheDir(): string {
  const env = process.env.HEW_CORPUS_CACHE;
  if (env) return env;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "hew-corpus");
}

/** The ggml options for a backend: the same list builds the addon and, in the benchmark, llama-finetune. */
export function backendFlags(options: Pick<NativeBuildOptions, "backend" | "amdgpuTargets" | "nativeCpu">): string[] {
  const nativeCpu = options.nativeCpu ?? process.env.HEW_CORPUS_GGML_NATIVE !== "0";
  const flags = ["-DCMAKE_BUILD_TYPE=Release", "-DGGML_OPENMP=ON", `-DGGML_NATIVE=${nativeCpu ? "ON" : "OFF"}`];
  switch (options.backend) {
    case "cpu":
      break;
    case "cuda":
      flags.push("-DGGML_CUDA=ON");
      break;
    case "vulkan":
      flags.push("-DGGML_VULKAN=ON");
      break;
    case "hip":
      flags.push("-DGGML_HIP=ON");
      if (options.amdgpuTargets) flags.push(`-DAMDGPU_TARGETS=${options.amdgpuTargets}`);
      break;
  }
  return flags;
}

/** Our own sources: a change to one rebuilds the addon (incrementally), not llama.cpp. */
function addonSourceHash(): string {
  const files = ["CMakeLists.txt", ...readdirSync(join(NATIVE_DIR, "src")).sort().map((f) => join("src", f))];
  return sha256Hex(files.map((f) => `${f}\0${readFileSync(join(NATIVE_DIR, f), "utf8")}`).join("\0"));
}

/** What to build: a CMake project, one of its targets, and where that target's output lands in the build folder. */
interface BuildTarget {
  /** `build-<name>-...` under the cache, and what a failed build calls itself. */
  name: string;
  label: string;
  /** The CMake source folder, from the prepared llama.cpp tree. */
  sourceDir: (llamaDir: string) => string;
  /** Options beyond the backend's. */
  configure: (llamaDir: string) => string[];
  target: string;
  output: string;
  /** Sources outside llama.cpp whose change rebuilds the target (incrementally). */
  extraStamp?: () => string;
}

const ADDON: BuildTarget = {
  name: "",
  label: "the training backend",
  sourceDir: () => NATIVE_DIR,
  configure: (llamaDir) => [
    `-DLLAMA_CPP_DIR=${llamaDir}`,
    `-DNODE_API_HEADERS_DIR=${join(dirname(require.resolve("node-api-headers/package.json")), "include")}`,
    `-DNODE_ADDON_API_DIR=${dirname(require.resolve("node-addon-api/package.json"))}`,
  ],
  target: "hew_train",
  output: "hew_train.node",
  extraStamp: addonSourceHash,
};

// llama.cpp's own build with only the server: no web UI download (offline builds), no HTTPS, no tests.
const LLAMA_SERVER: BuildTarget = {
  name: "server-",
  label: "llama-server",
  sourceDir: (llamaDir) => llamaDir,
  configure: () => [
    "-DLLAMA_BUILD_SERVER=ON",
    "-DLLAMA_BUILD_TOOLS=ON",
    "-DLLAMA_BUILD_TESTS=OFF",
    "-DLLAMA_BUILD_EXAMPLES=OFF",
    "-DLLAMA_OPENSSL=OFF",
    "-DLLAMA_BUILD_UI=OFF",
    "-DLLAMA_USE_PREBUILT_UI=OFF",
  ],
  target: "llama-server",
  output: join("bin", "llama-server"),
};

/**
 * One CMake target for a backend: from the cache when it was built before with the same llama.cpp source,
 * patches, flags and extra sources; otherwise built now, under a lock so that parallel callers build it once.
 */
async function ensureBuilt(what: BuildTarget, options: NativeBuildOptions): Promise<NativeBuild> {
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const source = await llamaSourceVersion();
  const flags = backendFlags(options);
  const buildKey = sha256Hex([source.commit, source.patchesHash, ...flags].join("\n")).slice(0, 16);
  const buildDir = join(cacheDir, `build-${what.name}${options.backend}-${buildKey}`);
  const outputPath = join(buildDir, what.output);
  const stampPath = join(buildDir, "hew-corpus-stamp.json");
  const stamp = JSON.stringify({ llama: source.commit, patches: source.patchesHash, flags, ...(what.extraStamp ? { addon: what.extraStamp() } : {}) });
  const result = (built: boolean): NativeBuild => ({ path: outputPath, flags, llamaCommit: source.commit, built });

  const isCurrent = async () => existsSync(outputPath) && existsSync(stampPath) && (await readFile(stampPath, "utf8")) === stamp;
  if (await isCurrent()) return result(false);

  return withBuildLock(`${buildDir}.lock`, async () => {
    if (await isCurrent()) return result(false);
    const progress = options.onProgress ?? (() => {});
    progress({ phase: "source", message: `unpacking llama.cpp ${source.commit.slice(0, 12)} and applying hew-corpus's patches` });
    const llamaDir = await preparedLlamaSource(cacheDir, source);
    await mkdir(buildDir, { recursive: true });
    await rm(stampPath, { force: true });
    progress({ phase: "configure", message: `building ${what.label} (${options.backend}) from source (once; a few minutes)` });
    const run = (args: string[], env?: NodeJS.ProcessEnv) => cmake(args, buildDir, what.label, progress, env);
    await run(["-S", what.sourceDir(llamaDir), "-B", buildDir, ...flags, ...what.configure(llamaDir)], hipEnv(options.backend));
    const jobs = options.jobs ?? availableParallelism();
    await run(["--build", buildDir, "--target", what.target, "--parallel", String(jobs)]);
    if (!existsSync(outputPath)) throw new Error(`the build finished but ${outputPath} is missing`);
    await writeFileAtomic(stampPath, stamp);
    progress({ phase: "done", message: `${what.label} ready: ${outputPath}` });
    return result(true);
  });
}

/** The training addon for a backend (a few minutes to build for CPU, then cached). */
export function ensureNativeAddon(options: NativeBuildOptions): Promise<NativeAddon> {
  return ensureBuilt(ADDON, options);
}

/**
 * llama-server built from the same patched llama.cpp source as the training addon, cached the same way:
 * the eval's integration test and CI measure against the server users run, at the commit training used.
 */
export function ensureLlamaServer(options: Partial<NativeBuildOptions> = {}): Promise<NativeBuild> {
  return ensureBuilt(LLAMA_SERVER, { backend: "cpu", ...options });
}

/** ROCm's clang must compile the HIP sources; hipconfig says where it is. */
function hipEnv(backend: Backend): NodeJS.ProcessEnv | undefined {
  if (backend !== "hip" || process.env.HIPCXX) return undefined;
  const rocm = process.env.ROCM_PATH ?? "/opt/rocm";
  const clang = join(rocm, "llvm", "bin", "clang");
  return existsSync(clang) ? { HIPCXX: clang, HIP_PATH: rocm } : undefined;
}

/** Run cmake, reporting `[ NN%]` lines as progress and keeping the output in a log for a failed build. */
async function cmake(args: string[], buildDir: string, label: string, progress: (e: NativeBuildProgress) => void, env?: NodeJS.ProcessEnv): Promise<void> {
  const log: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn("cmake", args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      log.push(text);
      for (const m of text.matchAll(/^\[\s*(\d+)%\]/gm)) progress({ phase: "compile", percent: Number(m[1]) });
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("error", (err: NodeJS.ErrnoException) =>
      reject(err.code === "ENOENT" ? new UserError(`cmake (3.18 or newer) and a C++17 compiler are needed to build ${label}; install them (Debian/Ubuntu: apt-get install cmake g++)`) : err),
    );
    child.on("close", resolve);
  });
  if (code !== 0) {
    const logFile = join(buildDir, "hew-corpus-build.log");
    await writeFile(logFile, log.join(""));
    const tail = log.join("").split("\n").filter((l) => /error|Error|ERROR/.test(l)).slice(-15).join("\n");
    throw new UserError(`building ${label} failed (cmake ${args[0]} exited with ${code}); full log: ${logFile}\n${tail}`);
  }
}
