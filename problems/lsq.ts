/**
 * Binary least squares min |Xw - y|^2 over {-1,+1}^n, with X (m x n) standard normal and
 * y = X w* + noise * N(0, I) from a hidden binary teacher w*. As a BQP: Q = X'X, b = -X'y, c = y'y.
 * Without noise the teacher reaches 0, which is then the known optimum.
 */
import type { ParsedSpec } from '../src/core/spec.js';
import { ensureAffordable } from '../src/core/memory.js';
import { SpecReader } from '../src/core/spec.js';
import { Rng } from '../src/numerics/rng.js';
import { randomSigns, type Signs } from '../src/core/signs.js';
import type { QuadraticForm } from '../src/core/problem.js';
import { QuadraticProblem, gram } from './quadratic.js';

/** The least-squares problem keeps its data, so that results can be checked against |Xw - y|^2. */
export class LsqProblem extends QuadraticProblem {
  constructor(spec: string, form: QuadraticForm, readonly X: Float64Array, readonly y: Float64Array, readonly teacher: Signs, knownOptimum?: number) {
    super(spec, 'lsq', form, knownOptimum);
  }
}

export function createLsq(spec: ParsedSpec): LsqProblem {
  const r = new SpecReader(spec);
  const n = r.int('n', 16, { min: 1, max: 100000 });
  const m = r.int('m', 2 * n, { min: 1 });
  // beyond 1e6 times the unit-variance signal the labels are noise and sums of squares lose all digits
  const noise = r.number('noise', 0.5, { min: 0, max: 1e6 });
  const seed = r.int('seed', 1, { min: 0 });
  const canonical = r.finish();
  ensureAffordable(8 * (m * n + n * n + m), `problem spec '${spec.text}': the ${m} x ${n} data and its ${n} x ${n} Gram matrix`, 'lower m or n');
  const rng = new Rng(seed, 'lsq');
  const teacher = randomSigns(n, rng.fork('teacher'));
  const data = rng.fork('data');
  const X = new Float64Array(m * n);
  for (let k = 0; k < X.length; k++) X[k] = data.normal();
  const noiseRng = rng.fork('noise');
  const y = new Float64Array(m);
  for (let row = 0; row < m; row++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += X[row * n + j]! * teacher[j]!;
    y[row] = s + noise * noiseRng.normal();
  }
  const { XtX, Xty } = gram(X, m, n, y);
  let yy = 0;
  for (let row = 0; row < m; row++) yy += y[row]! * y[row]!;
  for (let i = 0; i < n; i++) Xty[i] = -Xty[i]!;
  return new LsqProblem(canonical, { n, Q: XtX, b: Xty, c: yy }, X, y, teacher, noise === 0 ? 0 : undefined);
}
