/**
 * The best proven lower bound of each benchmark case, and each solver row's gap to it, from the
 * rows of a results file alone (so that `report` works on files of any age):
 *  - a row's referee fields (refBound, refOf, refBy, refProven: src/experiments/referee.ts);
 *  - a proven optimum anywhere in the case: a row with `proven` (its loss), `optimum` (recorded
 *    by the referee of older files), a mip row's info.trainErrorProven (its training error);
 *  - a proven bound of any solver's own: `bound` (bm's, bb's and mip's are proven by contract,
 *    src/core/result.ts), a mip row's info.trainErrorBound.
 * Bounds on the loss and on the training error are kept apart: a mip bound on a sign network is
 * of its training error, since the mlp loss (cross-entropy) is not what the MILP models. A row's
 * gap is taken against the loss bound where the case has one, else the training-error bound.
 * Every field is read through a type check (files may be edited by hand).
 */
import { groupBy, num, rowKind, str, type Row } from './rows.js';

export type BoundQuantity = 'loss' | 'trainError';

export interface CaseBound {
  quantity: BoundQuantity;
  /** the best proven lower bound (the optimum when proven) */
  value: number;
  /** whether `value` is a proven optimum (else only a bound) */
  optimal: boolean;
  /** the solver that proved it */
  by: string;
}

export interface CaseBounds {
  problem: string;
  loss?: CaseBound;
  trainError?: CaseBound;
  /** the referee the bench suite named (refBy), if any */
  referee?: string;
  /** the referee's time budget, when it had one */
  refereeBudgetMs?: number;
}

/** A row's gap to its case's best proven bound. */
export interface BoundGap {
  bound: CaseBound;
  /** the row's value of the bounded quantity (its loss or its training error) */
  value: number;
  /** value - bound */
  gap: number;
  /** gap / max(|value|, |bound|), 0 when both are 0: in [0, 1] for non-negative losses */
  relGap: number;
}

const QUANTITIES: readonly BoundQuantity[] = ['loss', 'trainError'];

function info(r: Row): Record<string, unknown> {
  return typeof r.info === 'object' && r.info !== null && !Array.isArray(r.info) ? (r.info as Record<string, unknown>) : {};
}

/** Every proven bound or optimum one row states, on either quantity. */
function candidates(r: Row): CaseBound[] {
  const out: CaseBound[] = [];
  const solver = str(r, 'solver') ?? '?';
  const refOf: BoundQuantity = r.refOf === 'trainError' ? 'trainError' : 'loss';
  const refBy = str(r, 'refBy');
  const loss = num(r, 'loss');
  if (r.proven === true && loss !== undefined) out.push({ quantity: 'loss', value: loss, optimal: true, by: solver });
  const refOptimum = num(r, 'refOptimum');
  if (refOptimum !== undefined && r.refProven === true) out.push({ quantity: refOf, value: refOptimum, optimal: true, by: refBy ?? '?' });
  const optimum = num(r, 'optimum');
  if (optimum !== undefined) out.push({ quantity: 'loss', value: optimum, optimal: true, by: refBy ?? 'recorded optimum' });
  const i = info(r);
  const trainError = num(r, 'trainError');
  if (solver === 'mip' && i.trainErrorProven === true && trainError !== undefined) out.push({ quantity: 'trainError', value: trainError, optimal: true, by: 'mip' });
  const refBound = num(r, 'refBound');
  if (refBound !== undefined) out.push({ quantity: refOf, value: refBound, optimal: false, by: refBy ?? '?' });
  const bound = num(r, 'bound');
  if (bound !== undefined) out.push({ quantity: 'loss', value: bound, optimal: false, by: solver });
  const teBound = num(i, 'trainErrorBound');
  if (solver === 'mip' && teBound !== undefined) out.push({ quantity: 'trainError', value: teBound, optimal: false, by: 'mip' });
  return out;
}

/** The best of a case's candidates on one quantity: a proven optimum if any (the first), else the highest bound. */
function best(cs: CaseBound[]): CaseBound | undefined {
  const optimal = cs.find((c) => c.optimal);
  if (optimal) return optimal;
  let top: CaseBound | undefined;
  for (const c of cs) if (!top || c.value > top.value) top = c;
  return top;
}

/** The solver rows (no errors, no skipped cases), by problem. */
function solverRowsByProblem(rows: Row[]): Map<string, Row[]> {
  return groupBy(rows.filter((r) => r.error === undefined && rowKind(r) === 'solver' && str(r, 'problem') !== undefined), (r) => str(r, 'problem')!);
}

/** The best proven bounds of every case (keyed by problem spec), in the rows' order. */
export function caseBounds(rows: Row[]): Map<string, CaseBounds> {
  const out = new Map<string, CaseBounds>();
  for (const [problem, rs] of solverRowsByProblem(rows)) {
    const cs = rs.flatMap(candidates);
    const entry: CaseBounds = { problem };
    for (const q of QUANTITIES) {
      const b = best(cs.filter((c) => c.quantity === q));
      if (b) entry[q] = b;
    }
    const withReferee = rs.find((r) => str(r, 'refBy') !== undefined);
    if (withReferee) {
      entry.referee = str(withReferee, 'refBy');
      const budget = num(withReferee, 'refBudgetMs');
      if (budget !== undefined) entry.refereeBudgetMs = budget;
    }
    out.set(problem, entry);
  }
  return out;
}

/** The row's gap to the case's best bound: on the loss where the case has a loss bound, else on the training error. */
export function boundGap(r: Row, bounds: CaseBounds | undefined): BoundGap | undefined {
  if (!bounds) return undefined;
  for (const q of QUANTITIES) {
    const bound = bounds[q];
    const value = num(r, q);
    if (!bound || value === undefined) continue;
    const gap = value - bound.value;
    const scale = Math.max(Math.abs(value), Math.abs(bound.value));
    return { bound, value, gap, relGap: scale === 0 ? 0 : gap / scale };
  }
  return undefined;
}

/** At the bound: gap within a relative 1e-9 (losses are recomputed sums of floats). */
export function atBound(g: BoundGap): boolean {
  return g.gap <= 1e-9 * Math.max(1, Math.abs(g.bound.value));
}
