/**
 * Rows of bench results files as `report` reads them: every field through a type check (files
 * may be edited by hand, so a wrong type counts as absent), and the kind of each row.
 */
export type Row = Record<string, unknown> & { case: string };

/** A finite number field, else undefined. */
export function num(r: Record<string, unknown>, key: string): number | undefined {
  const v = r[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** A string field, else undefined. */
export function str(r: Record<string, unknown>, key: string): string | undefined {
  const v = r[key];
  return typeof v === 'string' ? v : undefined;
}

/** Which suite's kind of row this is: solver results, an SDP case or an XNOR measurement. */
export function rowKind(r: Row): 'solver' | 'sdp' | 'xnor' | undefined {
  if (r.skipped !== undefined) return undefined;
  if (r.suite === 'sdp' || (str(r, 'instance') !== undefined && str(r, 'algo') !== undefined)) return 'sdp';
  if (r.suite === 'xnor' || (str(r, 'backend') !== undefined && num(r, 'macPerSec') !== undefined)) return 'xnor';
  if (str(r, 'solver') !== undefined) return 'solver';
  return undefined;
}

export function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    if (!m.has(k)) m.set(k, []);
    m.get(k)!.push(it);
  }
  return m;
}
