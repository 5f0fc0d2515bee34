/** One printed benchmark figure, with its target when it has one. */
export interface Figure {
  name: string;
  value: string;
  target?: string;
  ok?: boolean;
}

export function formatFigure(f: Figure): string {
  const verdict = f.ok === undefined ? "" : f.ok ? "  ok" : "  MISSED";
  return `${f.name.padEnd(72)} ${f.value}${f.target ? `  (target ${f.target})` : ""}${verdict}`;
}
