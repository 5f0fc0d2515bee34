import { describe, expect, it } from "vitest";
import { localThreads } from "../../src/eval/local-threads.js";

describe("threads for a local model", () => {
  it("takes the cores the load leaves free, never fewer than one nor more than there are", () => {
    expect(localThreads(8, 0)).toBe(8);
    expect(localThreads(8, 5.2)).toBe(3);
    expect(localThreads(2, 1.6)).toBe(1);
    expect(localThreads(2, 22)).toBe(1);
  });
});
