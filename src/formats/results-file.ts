/**
 * Bench results files: one JSON object per line, each with a string `case` id. The one parser
 * that `bench --resume` and `report` share, so both accept and refuse the same files.
 */
import { UserError } from '../core/errors.js';

export type CaseRow = Record<string, unknown> & { case: string };

/** The rows of a results file's text; a bad line is a one-line error naming `path` and the line. */
export function parseCaseLines(path: string, text: string): CaseRow[] {
  const rows: CaseRow[] = [];
  text.split('\n').forEach((line, k) => {
    if (line.trim() === '') return;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      throw new UserError(`${path}:${k + 1}: not a JSON line (not a bnnrelax bench results file?)`);
    }
    if (typeof row !== 'object' || row === null || typeof (row as { case?: unknown }).case !== 'string') {
      throw new UserError(`${path}:${k + 1}: no "case" id; not a bnnrelax bench results file`);
    }
    rows.push(row as CaseRow);
  });
  return rows;
}
