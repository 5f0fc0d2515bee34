import { describe, expect, it } from "vitest";
import { histogram } from "../../src/report/report-data.js";

describe("histogram", () => {
  it("uses 1-2-5 bin widths from zero, keeps empty bins, and counts every length once", () => {
    const bins = histogram([120, 180, 190, 260, 410, 415, 980]);
    expect(bins[0]).toEqual({ from: 0, to: 50, samples: 0 });
    expect(bins.at(-1)).toEqual({ from: 950, to: 1000, samples: 1 });
    expect(bins).toHaveLength(20);
    expect(bins.find((b) => b.from === 400)).toEqual({ from: 400, to: 450, samples: 2 });
    expect(bins.reduce((n, b) => n + b.samples, 0)).toBe(7);
  });

  it("puts a length on a bin edge into the bin it starts", () => {
    expect(histogram([0, 10, 20], 2)).toEqual([
      { from: 0, to: 10, samples: 1 },
      { from: 10, to: 20, samples: 1 },
      { from: 20, to: 30, samples: 1 },
    ]);
    expect(histogram([])).toEqual([]);
  });
});
