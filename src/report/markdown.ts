import { stringify } from "yaml";

/** A GitHub-flavoured Markdown table; `right` marks the columns to right-align (numbers). */
export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[], right: readonly number[] = []): string {
  const cell = (text: string) => text.replaceAll("|", "\\|").replaceAll("\n", " ");
  const line = (r: readonly string[]) => `| ${r.map(cell).join(" | ")} |`;
  const rule = `| ${headers.map((_, i) => (right.includes(i) ? "---:" : "---")).join(" | ")} |`;
  return [line(headers), rule, ...rows.map(line)].join("\n");
}

/** YAML metadata at the top of a Markdown file, as the Hub reads it from a card. */
export function frontMatter(data: Record<string, unknown>): string {
  return `---\n${stringify(data, { lineWidth: 0 })}---\n`;
}
