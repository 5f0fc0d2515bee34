/**
 * A real llama-server for the eval's integration test: built once from the project's llama.cpp source (see
 * ensureLlamaServer) and started on 127.0.0.1 with a tiny random-weight model and its adapters.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer, type AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { ensureLlamaServer, type NativeBuild } from "../../src/train/native/build.js";

/** Building llama.cpp with the server from scratch takes minutes on two cores; later runs find it in the cache. */
export const SERVER_BUILD_TIMEOUT_MS = 30 * 60_000;

/** The cached build, or a fresh one; CI and the test call the same function, so CI's build is the test's. */
export function buildLlamaServerForTests(): Promise<NativeBuild> {
  let last = -10;
  return ensureLlamaServer({
    jobs: Number(process.env.HEW_CORPUS_BUILD_JOBS) || 2,
    onProgress: (p) => {
      if (p.phase !== "compile") process.stderr.write(`[llama-server] ${p.message}\n`);
      else if (p.percent >= last + 10) {
        last = p.percent;
        process.stderr.write(`[llama-server] compiling ${p.percent}%\n`);
      }
    },
  });
}

/** Why the real-server test cannot run here, or undefined when it can (cmake and a C++ compiler). */
export function llamaServerSkipReason(): string | undefined {
  if (process.env.HEW_CORPUS_SKIP_LLAMA_SERVER === "1") return "HEW_CORPUS_SKIP_LLAMA_SERVER=1";
  for (const tool of ["cmake", "c++"]) {
    if (spawnSync(tool, ["--version"], { stdio: "ignore" }).status !== 0) return `no ${tool} on PATH to build llama-server (Debian/Ubuntu: apt-get install cmake g++)`;
  }
  return undefined;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

export interface RunningLlamaServer {
  url: string;
  /** What the server printed, for a failing test's message. */
  log: () => string;
  stop(): Promise<void>;
}

/** Start `binary` on a free loopback port with `args` and wait until /health says it is ready. */
export async function startLlamaServer(binary: string, args: string[], readyWithinMs = 120_000): Promise<RunningLlamaServer> {
  const port = await freePort();
  const output: string[] = [];
  const child: ChildProcess = spawn(binary, ["--host", "127.0.0.1", "--port", String(port), ...args], { stdio: ["ignore", "pipe", "pipe"] });
  child.stdout!.on("data", (c: Buffer) => output.push(c.toString()));
  child.stderr!.on("data", (c: Buffer) => output.push(c.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await Promise.race([exited, sleep(10_000).then(() => child.kill("SIGKILL"))]);
  };
  const deadline = Date.now() + readyWithinMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`llama-server exited with ${child.exitCode}:\n${output.join("").slice(-3000)}`);
    const ok = await fetch(`${url}/health`).then((r) => r.ok, () => false);
    if (ok) return { url, log: () => output.join(""), stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`llama-server not ready within ${readyWithinMs} ms:\n${output.join("").slice(-3000)}`);
    }
    await sleep(200);
  }
}
