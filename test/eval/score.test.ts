import { describe, expect, it } from "vitest";
import { differenceInterval, passAtK, wilsonInterval } from "../../src/eval/score.js";

describe("pass@k", () => {
  it("matches 1 - C(n-c, k) / C(n, k) computed by hand", () => {
    // n=10, c=3: pass@1 = 3/10; pass@5 = 1 - C(7,5)/C(10,5) = 1 - 21/252 = 11/12
    expect(passAtK(10, 3, 1)).toBeCloseTo(0.3, 12);
    expect(passAtK(10, 3, 5)).toBeCloseTo(11 / 12, 12);
    // n=5, c=2, k=2: 1 - C(3,2)/C(5,2) = 1 - 3/10
    expect(passAtK(5, 2, 2)).toBeCloseTo(0.7, 12);
  });

  it("is 0 with no passing answer and 1 when a failing draw of k is impossible", () => {
    expect(passAtK(4, 0, 4)).toBe(0);
    expect(passAtK(4, 2, 3)).toBe(1);
    expect(passAtK(1, 1, 1)).toBe(1);
  });

  it("refuses impossible counts", () => {
    expect(() => passAtK(3, 4, 1)).toThrow(RangeError);
    expect(() => passAtK(3, 1, 4)).toThrow(RangeError);
  });
});

describe("Wilson interval", () => {
  it("matches the hand-computed 95% interval for 27 of 39", () => {
    // p = 27/39, z = 1.96: center = (p + z²/78) / (1 + z²/39), half = z/(1 + z²/39) * sqrt(p(1-p)/39 + z²/6084)
    const { low, high } = wilsonInterval(27 / 39, 39);
    expect(low).toBeCloseTo(0.53579, 5);
    expect(high).toBeCloseTo(0.81434, 5);
  });

  it("stays inside [0, 1] at the edges and is wide for three prompts", () => {
    const none = wilsonInterval(0, 3);
    expect(none.low).toBe(0);
    expect(none.high).toBeCloseTo(0.5615, 4);
    const all = wilsonInterval(1, 3);
    expect(all.low).toBeCloseTo(0.4385, 4);
    expect(all.high).toBe(1);
  });

  it("knows nothing without trials", () => {
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
  });

  it("reads 67% against 68% on 39 prompts as no change", () => {
    const a = { rate: 26 / 39, interval: wilsonInterval(26 / 39, 39) };
    const b = { rate: 26.5 / 39, interval: wilsonInterval(26.5 / 39, 39) };
    const d = differenceInterval(a, b);
    expect(d.low).toBeLessThan(0);
    expect(d.high).toBeGreaterThan(0);
  });
});

describe("difference interval (Newcombe)", () => {
  it("matches the hand-computed interval for 53% → 80% on 39 prompts", () => {
    const before = { rate: 0.53, interval: wilsonInterval(0.53, 39) };
    const after = { rate: 0.8, interval: wilsonInterval(0.8, 39) };
    // d = 0.27; low = d - sqrt((0.8 - l_after)² + (u_before - 0.53)²); high = d + sqrt((u_after - 0.8)² + (0.53 - l_before)²)
    const la = after.interval.low, ua = after.interval.high, lb = before.interval.low, ub = before.interval.high;
    expect(la).toBeCloseTo(0.65034, 5);
    expect(ub).toBeCloseTo(0.67679, 5);
    const d = differenceInterval(before, after);
    expect(d.low).toBeCloseTo(0.27 - Math.hypot(0.8 - la, ub - 0.53), 12);
    expect(d.high).toBeCloseTo(0.27 + Math.hypot(ua - 0.8, 0.53 - lb), 12);
    expect(d.low).toBeCloseTo(0.06037, 5);
    expect(d.high).toBeCloseTo(0.44984, 5);
    expect(d.low).toBeGreaterThan(0);
  });
});
