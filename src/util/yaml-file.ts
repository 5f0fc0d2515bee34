import { readTextFile } from "./read-text.js";
import { LineCounter, parseDocument, isMap, isNode, isScalar, type Document } from "yaml";
import type { z } from "zod";
import { UserError, formatZodIssues } from "./errors.js";

/** The 1-based line of the key (or item) at `path` in a YAML document, or of its nearest existing parent. */
function lineOf(doc: Document, counter: LineCounter, path: readonly PropertyKey[]): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    if (n > 0) {
      // A mapping's key starts the line the user wrote; its value may begin a line later.
      const parent = n === 1 ? doc.contents : doc.getIn(path.slice(0, n - 1) as unknown[], true);
      const pair = isMap(parent) ? parent.items.find((p) => isScalar(p.key) && String(p.key.value) === String(path[n - 1])) : undefined;
      if (isNode(pair?.key) && pair.key.range) return counter.linePos(pair.key.range[0]).line;
    }
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n) as unknown[], true);
    if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
  }
  return undefined;
}

/** zod reports unknown keys once, at their object; each is reported at its own key instead. */
function splitUnknownKeys(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue[] {
  return issues.flatMap((issue): z.core.$ZodIssue[] =>
    issue.code === "unrecognized_keys" ? issue.keys.map((key) => ({ ...issue, keys: [key], path: [...issue.path, key], message: "unknown key" })) : [issue],
  );
}

/** Parse YAML text against a schema; every problem names the file, line and field. */
export function parseYamlText<S extends z.ZodType>(text: string, file: string, schema: S): z.infer<S> {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const lines = doc.errors.map((e) => `${file}:${counter.linePos(e.pos[0]).line}: invalid YAML: ${e.message.split("\n")[0]}`);
    throw new UserError(lines.join("\n"));
  }
  const result = schema.safeParse(doc.toJS());
  if (!result.success) {
    throw new UserError(formatZodIssues(splitUnknownKeys(result.error.issues), (path) => ({ file, line: lineOf(doc, counter, path) })));
  }
  return result.data;
}

export async function readYamlFile<S extends z.ZodType>(file: string, schema: S): Promise<z.infer<S>> {
  return parseYamlText(await readTextFile(file), file, schema);
}
