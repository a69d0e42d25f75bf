import { describe, expect, it } from 'vitest';
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { lanczosSmallest } from '../src/numerics/lanczos.js';
import { choleskyLower, provePositiveDefinite } from '../src/numerics/cholesky.js';
import { symCsrMatVec, symCsrToDense, symCsrFromTriplets, symCsrFromDense } from '../src/numerics/csr.js';
import { Rng } from '../src/numerics/rng.js';
import { denseEigenvalues, randomDenseSym, randomMaxCut, toMatrix } from './bm-helpers.js';

describe('sparse symmetric matrices', () => {
  it('triplets, dense round trip and mat-vec agree with ml-matrix', () => {
    const rng = new Rng(3);
    const A = randomMaxCut(60, 0.1, 4, true);
    const D = symCsrToDense(A);
    const B = symCsrFromDense(60, D);
    expect(Array.from(symCsrToDense(B))).toEqual(Array.from(D));
    const x = Float64Array.from({ length: 60 }, () => rng.normal());
    const out = new Float64Array(60);
    symCsrMatVec(A, x, out);
    const ref = toMatrix(A).mmul(Matrix.columnVector(Array.from(x)));
    for (let i = 0; i < 60; i++) expect(out[i]).toBeCloseTo(ref.get(i, 0), 12);
  });

  it('sums repeated triplets and drops cancelled entries', () => {
    const A = symCsrFromTriplets(3, [0, 1, 0, 2], [1, 0, 2, 0], [1, 2, 5, -5]);
    expect(Array.from(symCsrToDense(A))).toEqual([0, 3, 0, 3, 0, 0, 0, 0, 0]);
  });
});

describe('Lanczos smallest eigenvalue vs dense eigendecomposition (ml-matrix)', () => {
  const cases: [string, () => ReturnType<typeof randomDenseSym>][] = [];
  for (const n of [5, 40, 120, 300]) cases.push([`dense n=${n}`, () => randomDenseSym(n, n)]);
  for (const n of [50, 200, 300]) cases.push([`graph Laplacian n=${n}`, () => randomMaxCut(n, 0.05, n + 1, true)]);
  for (const [name, make] of cases) {
    it(`${name}: the Ritz value is an upper bound on lambda_min and converges to it`, () => {
      const A = make();
      const exact = denseEigenvalues(toMatrix(A));
      const lmin = exact[0]!;
      const scale = Math.max(Math.abs(exact[0]!), Math.abs(exact[exact.length - 1]!));
      const r = lanczosSmallest(A.n, (x, out) => symCsrMatVec(A, x, out), new Rng(9), { tol: 1e-10 * scale, maxSteps: A.n });
      expect(r.value).toBeGreaterThanOrEqual(lmin - 1e-10 * scale);
      expect(r.converged).toBe(true);
      expect(Math.abs(r.value - lmin)).toBeLessThan(1e-8 * scale);
      // the Ritz vector is a unit vector with the reported residual
      const Su = new Float64Array(A.n);
      symCsrMatVec(A, r.vector, Su);
      let res = 0;
      let norm = 0;
      for (let i = 0; i < A.n; i++) {
        res += (Su[i]! - r.value * r.vector[i]!) ** 2;
        norm += r.vector[i]! ** 2;
      }
      expect(Math.sqrt(norm)).toBeCloseTo(1, 8);
      expect(Math.sqrt(res)).toBeLessThan(1e-8 * scale + 10 * r.residual);
    });
  }

  it('stopped early, the Ritz value is still never below lambda_min', () => {
    const A = randomDenseSym(200, 77);
    const lmin = denseEigenvalues(toMatrix(A))[0]!;
    for (const steps of [2, 5, 10, 20]) {
      const r = lanczosSmallest(A.n, (x, out) => symCsrMatVec(A, x, out), new Rng(steps), { tol: 0, maxSteps: steps });
      expect(r.value).toBeGreaterThanOrEqual(lmin - 1e-9);
    }
  });
});

describe('Cholesky proof of positive definiteness', () => {
  for (const n of [1, 2, 3, 5, 7, 10, 51, 53, 100, 300]) {
    it(`n=${n}: proves A + sigma I psd just above -lambda_min, refuses just below`, () => {
      const A = randomDenseSym(n, 1000 + n);
      const eig = denseEigenvalues(toMatrix(A));
      const lmin = eig[0]!;
      const scale = Math.max(Math.abs(eig[0]!), Math.abs(eig[n - 1]!));
      const dense = symCsrToDense(A);
      expect(provePositiveDefinite(dense, n, -lmin + 1e-8 * scale)).toBe(true);
      expect(provePositiveDefinite(dense, n, -lmin - 1e-8 * scale)).toBe(false);
      expect(provePositiveDefinite(dense, n, -lmin - 0.5)).toBe(false);
    });
  }

  for (const n of [1, 4, 6, 9, 31, 120]) {
    it(`n=${n}: the factor (rows four at a time) matches ml-matrix's CholeskyDecomposition`, () => {
      const A = randomDenseSym(n, 2000 + n);
      const lmin = denseEigenvalues(toMatrix(A))[0]!;
      const d = -lmin + 1;
      const dense = symCsrToDense(A);
      const L = choleskyLower(dense, n, d)!;
      expect(L).toBeDefined();
      const ref = new CholeskyDecomposition(toMatrix(A).add(Matrix.eye(n).mul(d))).lowerTriangularMatrix;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j <= i; j++) expect(Math.abs(L[i * n + j]! - ref.get(i, j))).toBeLessThan(1e-10 * Math.max(1, Math.abs(ref.get(i, j))));
      }
      expect(choleskyLower(dense, n, -lmin - 1e-3)).toBeUndefined();
    });
  }
});
