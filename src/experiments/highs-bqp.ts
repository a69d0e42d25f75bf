/**
 * HiGHS (npm `highs`, WebAssembly; an optional dependency) on the standard linearisation of a
 * ±1 quadratic form, as the comparator of `bench exact`. With w = 2x - 1, x in {0,1}^n,
 *   w'Qw + 2b'w + c = sum_{i<j} 8 Q_ij x_i x_j + sum_i 4 (Q_ii + b_i - (Q1)_i) x_i + (sum Q - 2 sum b + c),
 * and each product x_i x_j becomes a variable y_ij in [0, 1] with only the inequalities its
 * sign needs (Fortet / Glover-Woolsey): y >= x_i + x_j - 1 for a positive coefficient (y = 0
 * otherwise at the optimum), y <= x_i, y <= x_j for a negative one.
 */
import type { QuadraticForm } from '../core/problem.js';

export interface HighsOutcome {
  /** HiGHS's model status, e.g. 'Optimal' or 'Time limit reached' */
  status: string;
  /** the best loss found (in the form's own terms, constant included), if any */
  loss?: number;
  proven: boolean;
  timeMs: number;
  variables: number;
  constraints: number;
}

type HighsSolve = (lp: string, options: Record<string, unknown>) => { Status: string; ObjectiveValue: number };

let loaded: Promise<{ solve: HighsSolve } | undefined> | undefined;

/** The HiGHS solver, or undefined (with the reason in `why`) when the package is not installed. */
export async function loadHighs(): Promise<{ solve: HighsSolve } | undefined> {
  loaded ??= (async () => {
    try {
      const name = 'highs';
      const mod = (await import(name)) as { default: (options?: object) => Promise<{ solve: HighsSolve }> };
      return await mod.default();
    } catch {
      return undefined;
    }
  })();
  return loaded;
}

export const HIGHS_MISSING = "HiGHS comparator skipped: the optional package 'highs' is not installed (npm install highs@1.15.3)";

const num = (v: number) => (Number.isInteger(v) ? String(v) : v.toPrecision(17));

/** The linearised model in CPLEX LP format, and the constant left out of its objective. */
export function linearisedLp(form: QuadraticForm): { lp: string; constant: number; variables: number; constraints: number } {
  const { n, Q, b, c } = form;
  const terms: string[] = [];
  const rows: string[] = [];
  const bounds: string[] = [];
  let constant = c;
  for (let i = 0; i < n; i++) {
    let rowSum = 0;
    for (let j = 0; j < n; j++) rowSum += Q[i * n + j]!;
    constant += rowSum - 2 * b[i]!;
    const lin = 4 * (Q[i * n + i]! + b[i]! - rowSum);
    if (lin !== 0) terms.push(`${lin < 0 ? '-' : '+'} ${num(Math.abs(lin))} x${i}`);
  }
  let products = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const q = 8 * Q[i * n + j]!;
      if (q === 0) continue;
      const y = `y${i}_${j}`;
      products++;
      terms.push(`${q < 0 ? '-' : '+'} ${num(Math.abs(q))} ${y}`);
      if (q > 0) rows.push(` r${rows.length}: ${y} - x${i} - x${j} >= -1`);
      else rows.push(` r${rows.length}: ${y} - x${i} <= 0`, ` r${rows.length + 1}: ${y} - x${j} <= 0`);
      bounds.push(` 0 <= ${y} <= 1`);
    }
  }
  const binaries = Array.from({ length: n }, (_, i) => `x${i}`);
  // LP-format lines are kept short: the objective is wrapped a few terms per line
  const obj: string[] = [];
  for (let k = 0; k < terms.length; k += 8) obj.push(' ' + terms.slice(k, k + 8).join(' '));
  if (obj.length === 0) obj.push(' 0 x0');
  const lp = ['Minimize', ` obj:${obj.join('\n')}`, 'Subject To', ...(rows.length ? rows : [' r0: x0 >= 0']), 'Bounds', ...bounds, 'Binary', ' ' + binaries.join(' '), 'End', ''].join('\n');
  return { lp, constant, variables: n + products, constraints: rows.length };
}

/** Solves the linearised form with HiGHS within `timeLimitS`; undefined when HiGHS is not installed. */
export async function solveWithHighs(form: QuadraticForm, timeLimitS: number): Promise<HighsOutcome | undefined> {
  const highs = await loadHighs();
  if (!highs) return undefined;
  const { lp, constant, variables, constraints } = linearisedLp(form);
  const t0 = performance.now();
  const sol = highs.solve(lp, { time_limit: timeLimitS, output_flag: false });
  const timeMs = performance.now() - t0;
  const has = Number.isFinite(sol.ObjectiveValue) && (sol.Status === 'Optimal' || sol.Status === 'Time limit reached');
  return {
    status: sol.Status,
    ...(has ? { loss: sol.ObjectiveValue + constant } : {}),
    proven: sol.Status === 'Optimal',
    timeMs,
    variables,
    constraints,
  };
}
