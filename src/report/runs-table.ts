import { markdownTable } from "./markdown.js";
import { formatInterval, formatPassRate, type RunRow } from "./run-rows.js";

const HEADERS = ["Version", "Samples", "Config", "Pass rate", "Interval"] as const;

/** The interval column names its confidence level when every row shares one, as they normally do. */
function intervalHeader(rows: readonly RunRow[]): string {
  const levels = new Set(rows.flatMap((r) => (r.eval?.interval ? [r.eval.interval.level] : [])));
  return levels.size === 1 ? `${Math.round([...levels][0]! * 100)}% interval` : "Interval";
}

function cells(row: RunRow): string[] {
  return [row.label, row.samples === undefined ? "" : String(row.samples), row.config ?? "", formatPassRate(row), formatInterval(row)];
}

function headers(rows: readonly RunRow[]): string[] {
  return [...HEADERS.slice(0, -1), intervalHeader(rows)];
}

/** Columns padded for a terminal; numbers right-aligned. */
export function formatRunsTable(rows: readonly RunRow[]): string {
  const table = [headers(rows), ...rows.map(cells)];
  const widths = table[0]!.map((_, c) => Math.max(...table.map((r) => [...r[c]!].length)));
  const right = new Set([1]);
  return table
    .map((r) =>
      r
        .map((cell, c) => (right.has(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** A GitHub-flavoured Markdown table, for a README or a model card. */
export function formatRunsMarkdown(rows: readonly RunRow[]): string {
  return markdownTable(headers(rows), rows.map(cells), [1, 3]);
}
