import { describe, expect, it } from "vitest";
import { fingerprint, signatureOf } from "../../src/dedup/fingerprint.js";
import { PARALLEL_FROM, fingerprintAll } from "../../src/dedup/fingerprint-pool.js";
import { AbortError } from "../../src/util/abort.js";
import { recordedProgram } from "../helpers/fixtures.js";

describe("fingerprintAll", () => {
  it("gives on worker threads exactly what one thread gives, in input order", async () => {
    const base = recordedProgram("algorithms-pass-merge-sort").code;
    const inputs = Array.from({ length: PARALLEL_FROM * 2 }, (_, i) => ({ prompt: `Sort list ${i}.`, code: [base.replace("31, 4, 15", `${i}, 4, 15`)] }));
    const options = { shingle: 5, abstract: false };
    let last = 0;
    const parallel = await fingerprintAll(inputs, { ...options, threads: 2, onProgress: (done) => (last = done) });
    expect(last).toBe(inputs.length);
    expect(parallel).toHaveLength(inputs.length);
    for (const i of [0, PARALLEL_FROM - 1, PARALLEL_FROM, inputs.length - 1]) {
      const alone = fingerprint(inputs[i]!, options);
      signatureOf(alone, "code");
      expect(parallel[i]).toEqual(alone);
    }
  });

  it("stops its worker threads and rejects with AbortError when the signal fires", async () => {
    const inputs = Array.from({ length: PARALLEL_FROM * 2 }, (_, i) => ({ prompt: `p ${i}`, code: [`fn main() {\n    println(${i});\n}\n`] }));
    const controller = new AbortController();
    const started = performance.now();
    const running = fingerprintAll(inputs, { shingle: 5, abstract: false, threads: 2, signal: controller.signal, onProgress: () => controller.abort() });
    await expect(running).rejects.toBeInstanceOf(AbortError);
    expect(performance.now() - started).toBeLessThan(30_000);
  });

  it("rejects before any work when the signal has fired", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(fingerprintAll([{ prompt: "p", code: ["fn main() {}"] }], { shingle: 5, abstract: false, signal: controller.signal })).rejects.toBeInstanceOf(AbortError);
  });
});
