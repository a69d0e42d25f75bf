/**
 * The trust-region Newton end game: its Hessian-vector product against a plain dense formula
 * (ml-matrix), and solves that certify with a bound no lower than the independent dense dual.
 */
import { describe, expect, it } from 'vitest';
import { Matrix } from 'ml-matrix';
import { createKernels } from '../solvers/bm/kernels.js';
import { randomFactor } from '../solvers/bm/factor.js';
import { solveDiagSdp } from '../solvers/bm/solve-sdp.js';
import { Rng } from '../src/numerics/rng.js';
import { independentDualBound, randomDenseSym, randomMaxCut, toMatrix } from './bm-helpers.js';

describe('Riemannian Hessian-vector product 2 P (S U)', () => {
  for (const kernels of ['js', 'wasm'] as const) {
    it(`${kernels}: matches (Diag(y) - C) U projected row-wise, computed densely`, () => {
      const C = randomMaxCut(40, 0.3, 9, true);
      const k = 5;
      const V = randomFactor(C.n, k, new Rng(2, 'V'));
      const K = createKernels(C, k, V, kernels);
      const rng = new Rng(3, 'U');
      const U = new Float64Array(C.n * k);
      for (let i = 0; i < U.length; i++) U[i] = rng.normal();
      const y = Float64Array.from({ length: C.n }, () => rng.normal());
      const out = new Float64Array(C.n * k);
      K.hessian(y, U, out);
      const Um = new Matrix(C.n, k);
      for (let i = 0; i < C.n; i++) for (let r = 0; r < k; r++) Um.set(i, r, U[i * k + r]!);
      const SU = Matrix.diag(Array.from(y)).sub(toMatrix(C)).mmul(Um);
      for (let i = 0; i < C.n; i++) {
        let dot = 0;
        for (let r = 0; r < k; r++) dot += SU.get(i, r) * V[i * k + r]!;
        for (let r = 0; r < k; r++) expect(out[i * k + r]!).toBeCloseTo(2 * (SU.get(i, r) - dot * V[i * k + r]!), 10);
      }
    });
  }
});

describe('newton (mixing, then trust-region Newton)', () => {
  const cases = [
    ['unweighted graph', randomMaxCut(60, 0.15, 11, false)],
    ['+-1 graph', randomMaxCut(60, 0.2, 12, true)],
    ['dense symmetric', randomDenseSym(30, 13)],
  ] as const;
  for (const [name, C] of cases) {
    it(`${name}: switches, certifies 1e-6, and the bound is at least the dense dual bound`, () => {
      const sol = solveDiagSdp(C, 'max', { seed: 1, algo: 'newton' });
      expect(sol.certified).toBe(true);
      expect(sol.switchedAt).toBeGreaterThan(0);
      expect(sol.hessianProducts).toBeGreaterThan(0);
      const ref = independentDualBound(C, sol.V, sol.rank);
      expect(sol.bound).toBeGreaterThanOrEqual(ref.bound - 1e-9 * Math.max(1, Math.abs(ref.bound)));
      expect(sol.objective).toBeLessThanOrEqual(sol.bound);
      // the same optimum as mixing alone, to the tolerance
      const mixing = solveDiagSdp(C, 'max', { seed: 1, algo: 'mixing' });
      expect(Math.abs(mixing.objective - sol.objective) / Math.abs(sol.objective)).toBeLessThanOrEqual(2e-6);
    });
  }
});
