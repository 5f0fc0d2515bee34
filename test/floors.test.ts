import fg from "fast-glob";
import { readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "./helpers/fixtures.js";

/**
 * The floors of src/, lowest first (README.md, Layout). A folder may import its own floor's folders
 * and any floor below, never one above; the folder graph must also stay free of cycles, so two folders
 * on one floor cannot lean on each other. `config.ts` (the config loader) sits with chatml.
 */
const FLOORS: readonly (readonly string[])[] = [
  ["schema", "util"],
  ["chatml", "config.ts"],
  ["validate", "dedup"],
  ["failures"],
  ["eval", "export"],
  ["corrections", "report", "train", "hook"],
  ["synth", "ingest"],
  ["hub"],
  ["cli"],
  ["index.ts"],
];

const SRC = join(REPO_ROOT, "src");
const floorOf = new Map(FLOORS.flatMap((names, floor) => names.map((n) => [n, floor] as const)));
/** The top-level entry of src/ a path belongs to: a folder name, or a file at the root. */
const unitOf = (file: string) => relative(SRC, file).split(/[\\/]/)[0]!.replace(/\.js$/, ".ts");

// Static imports, re-exports and dynamic import() of relative paths.
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)["'](\.{1,2}\/[^"']+)["']/g;

function folderEdges(): Map<string, Map<string, string>> {
  const edges = new Map<string, Map<string, string>>();
  for (const file of fg.sync("**/*.ts", { cwd: SRC, absolute: true })) {
    const from = unitOf(file);
    for (const [, spec] of readFileSync(file, "utf8").matchAll(IMPORT)) {
      const to = unitOf(resolve(dirname(file), spec!));
      if (to === from) continue;
      const seen = edges.get(from) ?? new Map<string, string>();
      if (!seen.has(to)) seen.set(to, `${relative(REPO_ROOT, file)} imports ${spec}`);
      edges.set(from, seen);
    }
  }
  return edges;
}

describe("the floors of src/", () => {
  const edges = folderEdges();

  it("puts every folder of src/ on a floor", () => {
    const units = new Set(fg.sync("*", { cwd: SRC, onlyFiles: false }).map((n) => n.replace(/\.js$/, ".ts")));
    expect([...units].filter((u) => !floorOf.has(u))).toEqual([]);
  });

  it("has no folder importing a folder on a higher floor", () => {
    const upward: string[] = [];
    for (const [from, targets] of edges) {
      for (const [to, where] of targets) if (floorOf.get(to)! > floorOf.get(from)!) upward.push(`${from} -> ${to}: ${where}`);
    }
    expect(upward).toEqual([]);
  });

  it("has no cycle between folders", () => {
    const cycles = new Set<string>();
    const visit = (unit: string, path: string[]) => {
      for (const to of edges.get(unit)?.keys() ?? []) {
        if (path.includes(to)) cycles.add([...path.slice(path.indexOf(to)), to].join(" -> "));
        else visit(to, [...path, to]);
      }
    };
    for (const unit of edges.keys()) visit(unit, [unit]);
    expect([...cycles]).toEqual([]);
  });
});
