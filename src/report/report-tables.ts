/**
 * Summary tables of benchmark rows (one JSON object per finished case): per solver, the fraction
 * of cases solved to the proven optimum, mean and worst gap, accuracy and time; per classifier
 * data set, accuracies. Shared by `bench` (printed at the end of a run) and `report`.
 */
import type { Cell } from './table.js';

export interface Row {
  case: string;
  solver?: string;
  problem?: string;
  n?: number;
  loss?: number;
  optimum?: number;
  gap?: number;
  trainError?: number;
  testError?: number;
  timeMs?: number;
  error?: string;
  info?: { epochLog?: { epoch: number; loss: number; trainError?: number; testError?: number }[] } & Record<string, unknown>;
}

export interface SummaryTable {
  title: string;
  header: string[];
  rows: Cell[][];
}

/** Solved to the optimum: gap within a relative 1e-9 (the losses are recomputed sums of floats). */
export function solvedToOptimum(r: Row): boolean {
  return r.gap !== undefined && r.optimum !== undefined && r.gap <= 1e-9 * Math.max(1, Math.abs(r.optimum));
}

/** The family of a case: the problem kind, with the data set for classifiers. */
export function familyOf(r: Row): string {
  const spec = r.problem ?? '';
  const kind = spec.includes(':') ? spec.slice(0, spec.indexOf(':')) : 'file';
  if (kind === 'mlp') return `mlp ${/data=([^,]+)/.exec(spec)?.[1] ?? '?'} ${/arch=([^,]+)/.exec(spec)?.[1] ?? ''}`.trim();
  if (kind === 'teacher') return `teacher ${/loss=([^,]+)/.exec(spec)?.[1] ?? ''}`.trim();
  return kind;
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : undefined);
const max = (xs: number[]) => (xs.length ? Math.max(...xs) : undefined);
const defined = (xs: (number | undefined)[]) => xs.filter((x): x is number => x !== undefined && Number.isFinite(x));

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    if (!m.has(k)) m.set(k, []);
    m.get(k)!.push(it);
  }
  return m;
}

function solverRow(label: string[], rs: Row[]): Cell[] {
  const withOpt = rs.filter((r) => r.optimum !== undefined);
  const gaps = defined(withOpt.map((r) => r.gap));
  // gap relative to |optimum| (floored at 1e-12): comparable across families of different scale
  const relGaps = defined(withOpt.map((r) => (r.gap === undefined ? undefined : r.gap / Math.max(1e-12, Math.abs(r.optimum!)))));
  return [
    ...label,
    rs.length,
    withOpt.length ? withOpt.filter(solvedToOptimum).length / withOpt.length : undefined,
    mean(gaps),
    max(gaps),
    mean(relGaps),
    mean(defined(rs.map((r) => (r.trainError === undefined ? undefined : 1 - r.trainError)))),
    mean(defined(rs.map((r) => (r.testError === undefined ? undefined : 1 - r.testError)))),
    mean(defined(rs.map((r) => r.timeMs))),
  ];
}

const HEADER = ['cases', 'solved', 'mean gap', 'worst gap', 'mean rel gap', 'train acc', 'test acc', 'mean ms'];

export function summariseRows(rows: Row[]): SummaryTable[] {
  const ok = rows.filter((r) => !r.error && r.solver);
  if (ok.length === 0) return [];
  const bySolver = groupBy(ok, (r) => r.solver!);
  const tables: SummaryTable[] = [
    { title: 'Per solver (all cases)', header: ['solver', ...HEADER], rows: [...bySolver].map(([s, rs]) => solverRow([s], rs)) },
  ];
  const byFamily = groupBy(ok, (r) => `${familyOf(r)}\u0000${r.solver}`);
  tables.push({
    title: 'Per problem family and solver',
    header: ['family', 'solver', ...HEADER],
    rows: [...byFamily].sort(([a], [b]) => a.localeCompare(b)).map(([k, rs]) => solverRow(k.split('\u0000'), rs)),
  });
  return tables;
}
