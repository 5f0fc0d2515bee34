import type { Sample } from "../schema/sample.js";
import type { CompositionCell } from "./report-data.js";

/** Samples per category and source, in the order each pair first appears. */
export function composition(samples: Iterable<Sample>): CompositionCell[] {
  const cells = new Map<string, CompositionCell>();
  for (const { meta } of samples) {
    const key = `${meta.category}\0${meta.source}`;
    const cell = cells.get(key) ?? { category: meta.category, source: meta.source, samples: 0 };
    cell.samples++;
    cells.set(key, cell);
  }
  return [...cells.values()];
}
