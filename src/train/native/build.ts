import { execFile, spawn } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { appendFile, mkdir, readFile, rm } from "node:fs/promises";
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
  /** HIP: GPU architectures, e.g. "gfx1100" (what a Radeon 780M runs under HSA_OVERRIDE_GFX_VERSION=11.0.0). */
  amdgpuTargets?: string;
  /** CUDA: compute capabilities, e.g. "89" or "86;90"; without it the build targets the GPU it finds. */
  cudaArchitectures?: string;
  /** Optimise for this machine's CPU (-march=native); on by default, HEW_CORPUS_GGML_NATIVE=0 turns it off. */
  nativeCpu?: boolean;
  /** Cache folder; HEW_CORPUS_CACHE or ~/.cache/hew-corpus by default. */
  cacheDir?: string;
  /** Build jobs; the machine's available parallelism by default. */
  jobs?: number;
  /** Human-readable progress: a line when a build starts, then percentages. */
  onProgress?: (event: NativeBuildProgress) => void;
}

export type NativeBuildProgress =
  | { phase: "source" | "configure" | "done"; message: string }
  /** `step` is the file or target being built; `quietMs` is set on a heartbeat while one step takes long. */
  | { phase: "compile"; percent: number; step?: string; quietMs?: number };

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
export function backendFlags(options: Pick<NativeBuildOptions, "backend" | "amdgpuTargets" | "cudaArchitectures" | "nativeCpu">): string[] {
  const nativeCpu = options.nativeCpu ?? process.env.HEW_CORPUS_GGML_NATIVE !== "0";
  const flags = ["-DCMAKE_BUILD_TYPE=Release", "-DGGML_OPENMP=ON", `-DGGML_NATIVE=${nativeCpu ? "ON" : "OFF"}`];
  switch (options.backend) {
    case "cpu":
      break;
    case "cuda":
      flags.push("-DGGML_CUDA=ON");
      // GGML_NATIVE asks nvcc for the installed GPU's architecture, which fails on a machine without one.
      if (options.cudaArchitectures) flags.push(`-DCMAKE_CUDA_ARCHITECTURES=${options.cudaArchitectures}`);
      break;
    case "vulkan":
      flags.push("-DGGML_VULKAN=ON");
      break;
    case "hip":
      flags.push("-DGGML_HIP=ON");
      // AMDGPU_TARGETS is deprecated from ROCm 6.4 on; GPU_TARGETS is what ggml's HIP build reads.
      if (options.amdgpuTargets) flags.push(`-DGPU_TARGETS=${options.amdgpuTargets}`);
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
    progress({ phase: "configure", message: `building ${what.label} (${options.backend}) from source (once; ${BUILD_MINUTES[options.backend]})` });
    const env = await backendEnv(options);
    const run = (args: string[]) => cmake(args, buildDir, what.label, progress, env);
    try {
      await run(["-S", what.sourceDir(llamaDir), "-B", buildDir, ...flags, ...what.configure(llamaDir)]);
      const jobs = options.jobs ?? availableParallelism();
      await run(["--build", buildDir, "--target", what.target, "--parallel", String(jobs)]);
    } catch (err) {
      // A failed configure leaves a CMake cache that the next attempt under the same key would reuse, so a
      // fixed environment would not help: keep only the log, and the next attempt starts afresh.
      await keepOnlyLog(buildDir);
      throw err;
    }
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

/** What a first build costs on a 2-core machine, so a user knows the silence is expected. */
const BUILD_MINUTES: Record<Backend, string> = {
  cpu: "about 4 minutes on 2 cores",
  vulkan: "about 20 minutes on 2 cores: the shaders are compiled too",
  cuda: "10 to 30 minutes, depending on the GPU architectures",
  hip: "10 to 30 minutes, depending on the GPU targets",
};

/**
 * The environment a GPU build needs, checked before anything is compiled: a missing toolkit or an unknown GPU
 * architecture is a one-line error here instead of a CMake failure minutes later.
 */
async function backendEnv(options: NativeBuildOptions): Promise<NodeJS.ProcessEnv | undefined> {
  if (options.backend === "cuda" && !options.cudaArchitectures && !(await succeeds("nvidia-smi", ["-L"]))) {
    throw new UserError(
      "no NVIDIA GPU was found to build the CUDA backend for (nvidia-smi -L failed); set cudaArchitectures in run.yaml (e.g. \"89\" for an RTX 40xx, \"86\" for an RTX 30xx, \"90\" for an H100)",
    );
  }
  if (options.backend !== "hip" || process.env.HIPCXX) return undefined;
  // llama.cpp's HIP docs: ROCm's own clang compiles the HIP sources, and hipconfig says where ROCm is.
  const clangDir = await output("hipconfig", ["-l"]);
  const rocm = (await output("hipconfig", ["-R"])) ?? process.env.ROCM_PATH ?? "/opt/rocm";
  const clang = clangDir ? join(clangDir, "clang") : join(rocm, "llvm", "bin", "clang");
  if (!existsSync(clang)) {
    throw new UserError(`ROCm's clang was not found (${clang}); install ROCm 6.1 or newer and put hipconfig on PATH, or set HIPCXX to ROCm's clang`);
  }
  return { HIPCXX: clang, HIP_PATH: rocm };
}

function output(command: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: 10_000 }, (err, stdout) => resolve(err ? undefined : stdout.trim() || undefined));
  });
}

async function succeeds(command: string, args: string[]): Promise<boolean> {
  return new Promise((resolve) => execFile(command, args, { timeout: 10_000 }, (err) => resolve(!err)));
}

async function keepOnlyLog(buildDir: string): Promise<void> {
  for (const entry of readdirSync(buildDir)) if (entry !== BUILD_LOG) await rm(join(buildDir, entry), { recursive: true, force: true });
}

const BUILD_LOG = "hew-corpus-build.log";
/** A heartbeat while one compile step runs this long without output (ggml-vulkan.cpp alone takes many minutes). */
const HEARTBEAT_MS = 60_000;

/**
 * Run cmake, reporting `[ NN%]` lines and the file being built as progress, and appending everything to the
 * build log. A failure names the log and shows the cause: the CMake errors with the lines that follow them and
 * the compiler's errors with their context, not just the lines that contain "error".
 */
async function cmake(args: string[], buildDir: string, label: string, progress: (e: NativeBuildProgress) => void, env?: NodeJS.ProcessEnv): Promise<void> {
  const log: string[] = [];
  let percent = 0;
  let step: string | undefined;
  let lastOutput = Date.now();
  const heartbeat = setInterval(() => {
    const quietMs = Date.now() - lastOutput;
    if (quietMs >= HEARTBEAT_MS) progress({ phase: "compile", percent, step, quietMs });
  }, HEARTBEAT_MS);
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn("cmake", args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      log.push(text);
      lastOutput = Date.now();
      for (const m of text.matchAll(/^\[\s*(\d+)%\]\s*(?:Building \S+ object (\S+)|(?:Built target|Linking \S+ \S+ library|Performing \S+ step for) '?([^'\s]+))?/gm)) {
        percent = Number(m[1]);
        const target = m[2] ?? m[3];
        if (target) step = target.replace(/^.*\//, "").replace(/\.o$/, "");
        progress({ phase: "compile", percent, step });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("error", (err: NodeJS.ErrnoException) =>
      reject(err.code === "ENOENT" ? new UserError(`cmake (3.18 or newer; 3.21 for ROCm) and a C++17 compiler are needed to build ${label}; install them (Debian/Ubuntu: apt-get install cmake g++)`) : err),
    );
    child.on("close", resolve);
  }).finally(() => clearInterval(heartbeat));
  const logFile = join(buildDir, BUILD_LOG);
  await appendFile(logFile, `$ cmake ${args.join(" ")}\n${log.join("")}\n`);
  if (code !== 0) {
    throw new UserError(`building ${label} failed (cmake ${args[0]} exited with ${code}); full log: ${logFile}\n${buildFailureCause(log.join(""))}`);
  }
}

/** The lines of a failed build that say why: each CMake or compiler error with the lines after it, else the tail. */
export function buildFailureCause(log: string, maxLines = 30): string {
  const lines = log.split("\n");
  const picked = new Set<number>();
  lines.forEach((line, i) => {
    if (/CMake Error|error:|Error \d+|fatal error|undefined reference|No CMAKE_\w+_COMPILER|not found/i.test(line)) {
      for (let j = i; j < Math.min(lines.length, i + 6); j++) picked.add(j);
    }
  });
  const chosen = picked.size > 0 ? [...picked].sort((a, b) => a - b).map((i) => lines[i]!) : lines.filter((l) => l.trim()).slice(-maxLines);
  return chosen.filter((l) => l.trim()).slice(0, maxLines).join("\n");
}
