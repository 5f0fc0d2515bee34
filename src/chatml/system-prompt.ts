import { readdir } from "node:fs/promises";
import { basename, extname, join } from "node:path";
import { SystemPromptVersionSchema, type SystemPromptRule, type SystemPromptVersion } from "../schema/system-prompt.js";
import type { Sample } from "../schema/sample.js";
import { UserError, errorMessage } from "../util/errors.js";
import { readYamlFile } from "../util/yaml-file.js";

/** The deterministic text of a system-prompt version: preamble, then numbered rules in order. */
export function renderSystemPrompt(version: SystemPromptVersion): string {
  const preamble = version.preamble.trim();
  if (version.rules.length === 0) return preamble;
  const rules = version.rules.map((r, i) => `${i + 1}. ${r.text.trim()}`).join("\n");
  return `${preamble}\n\nRules:\n${rules}`;
}

/** Put a version's rendered prompt into a sample as its (only) system message. */
export function applySystemPrompt(sample: Sample, version: SystemPromptVersion): Sample {
  return systemPromptApplier(version)(sample);
}

/** `applySystemPrompt` for a whole corpus: the prompt is rendered once, and every sample holds that one text. */
export function systemPromptApplier(version: SystemPromptVersion): (sample: Sample) => Sample {
  const content = renderSystemPrompt(version);
  return (sample) => ({
    ...sample,
    messages: [{ role: "system", content }, ...sample.messages.filter((m) => m.role !== "system")],
    meta: { ...sample.meta, systemPromptVersion: version.id },
  });
}

export interface RuleChange {
  id: string;
  before: SystemPromptRule;
  after: SystemPromptRule;
  /** Which fields differ. */
  fields: (keyof SystemPromptRule)[];
}

export interface SystemPromptDiff {
  from: string;
  to: string;
  added: SystemPromptRule[];
  removed: SystemPromptRule[];
  changed: RuleChange[];
  preambleChanged: boolean;
}

const COMPARED: (keyof SystemPromptRule)[] = ["text", "category", "addedIn", "reason", "examples"];
// Examples are objects: compared by content, not identity.
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Rules are matched by id across versions. */
export function diffSystemPrompts(a: SystemPromptVersion, b: SystemPromptVersion): SystemPromptDiff {
  const before = new Map(a.rules.map((r) => [r.id, r]));
  const after = new Map(b.rules.map((r) => [r.id, r]));
  const changed: RuleChange[] = [];
  for (const rule of b.rules) {
    const old = before.get(rule.id);
    if (!old) continue;
    const fields = COMPARED.filter((f) => !same(old[f], rule[f]));
    if (fields.length > 0) changed.push({ id: rule.id, before: old, after: rule, fields });
  }
  return {
    from: a.id,
    to: b.id,
    added: b.rules.filter((r) => !before.has(r.id)),
    removed: a.rules.filter((r) => !after.has(r.id)),
    changed,
    preambleChanged: a.preamble.trim() !== b.preamble.trim(),
  };
}

export interface SystemPromptStore {
  versions: Map<string, SystemPromptVersion>;
  /** Where each version was read from. */
  files: Map<string, string>;
  /** The newest version: the one no other version names as its parent. */
  latest: SystemPromptVersion;
}

/** Load every `*.yaml` / `*.yml` version in a folder; ids must match file names and parents must exist. */
export async function loadSystemPrompts(dir: string): Promise<SystemPromptStore> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => [".yaml", ".yml"].includes(extname(n))).sort();
  } catch (err) {
    throw new UserError(`${dir}: cannot read the system-prompt folder: ${errorMessage(err)}`);
  }
  if (names.length === 0) throw new UserError(`${dir}: no system-prompt versions (*.yaml) found`);
  const versions = new Map<string, SystemPromptVersion>();
  const files = new Map<string, string>();
  for (const name of names) {
    const file = join(dir, name);
    const version = await readYamlFile(file, SystemPromptVersionSchema);
    const stem = basename(name, extname(name));
    if (version.id !== stem) throw new UserError(`${file}: id "${version.id}" does not match the file name; expected id: ${stem}`);
    versions.set(version.id, version);
    files.set(version.id, file);
  }
  for (const v of versions.values()) {
    if (v.parent !== undefined && !versions.has(v.parent)) {
      throw new UserError(`${files.get(v.id)}: parent "${v.parent}" is not a version in ${dir}`);
    }
    const seen = new Set([v.id]);
    for (let p = v.parent; p !== undefined; p = versions.get(p)?.parent) {
      if (seen.has(p)) throw new UserError(`${files.get(v.id)}: the parent chain loops back to "${p}"`);
      seen.add(p);
    }
  }
  const parents = new Set([...versions.values()].map((v) => v.parent));
  const leaves = [...versions.values()].filter((v) => !parents.has(v.id));
  if (leaves.length !== 1) {
    throw new UserError(`${dir}: expected one latest version (one no other version names as parent), found: ${leaves.map((v) => v.id).join(", ")}`);
  }
  return { versions, files, latest: leaves[0]! };
}

export function getSystemPrompt(store: SystemPromptStore, id: string): SystemPromptVersion {
  const v = store.versions.get(id);
  if (!v) throw new UserError(`unknown system-prompt version "${id}"; known: ${[...store.versions.keys()].join(", ")}`);
  return v;
}
