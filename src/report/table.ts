/** Plain aligned text tables for terminal summaries (numbers right-aligned, text left-aligned). */
export type Cell = string | number | undefined;

export function formatNumber(v: number | undefined, digits = 4): string {
  if (v === undefined || Number.isNaN(v)) return '-';
  if (Number.isInteger(v) && Math.abs(v) < 1e9) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(digits - 1);
  return v.toFixed(digits);
}

export function formatTable(header: string[], rows: Cell[][]): string {
  const text = rows.map((r) => r.map((c) => (typeof c === 'number' ? formatNumber(c) : (c ?? '-'))));
  // a column is right-aligned when every cell is a number (or a preformatted one, or missing)
  const numeric = header.map((_, k) => rows.every((r) => typeof r[k] === 'number' || r[k] === undefined || /^-?[0-9.]+(e[-+]?[0-9]+)?$/.test(String(r[k]))));
  const widths = header.map((h, k) => Math.max(h.length, ...text.map((r) => r[k]!.length)));
  const line = (cells: string[]) => cells.map((c, k) => (numeric[k] ? c.padStart(widths[k]!) : c.padEnd(widths[k]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...text.map(line)].join('\n') + '\n';
}
