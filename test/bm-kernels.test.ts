import { describe, expect, it } from 'vitest';
import { EigenvalueDecomposition, Matrix, QrDecomposition } from 'ml-matrix';
import { addRowField, multipliers, randomFactor } from '../solvers/bm/factor.js';
import { mixingSweep } from '../solvers/bm/mixing.js';
import { createKernels } from '../solvers/bm/kernels.js';
import { denseDualSlack, subspaceEstimate } from '../solvers/bm/certificate.js';
import { symCsrFromTriplets } from '../src/numerics/csr.js';
import type { SymCsr } from '../src/core/sym-csr.js';
import { Rng } from '../src/numerics/rng.js';
import { denseEigenvalues, randomMaxCut } from './bm-helpers.js';

/** A symmetric matrix whose row degrees run through 0..maxDegree (every unrolling tail is hit). */
function graphWithDegrees(n: number, seed: number): SymCsr {
  const rng = new Rng(seed, 'kernel-graph');
  const rows: number[] = [];
  const cols: number[] = [];
  const vals: number[] = [];
  for (let i = 0; i < n; i++) {
    const deg = i % 23;
    for (let d = 0; d < deg; d++) {
      const j = rng.int(n);
      if (j === i) continue;
      rows.push(i);
      cols.push(j);
      vals.push(rng.normal());
    }
  }
  return symCsrFromTriplets(n, rows, cols, vals);
}

describe('the row-field kernel (unrolled by 8/4/1 neighbours, 4 columns) vs the plain double loop', () => {
  for (const k of [1, 3, 4, 7, 13, 41]) {
    it(`k = ${k}: every row agrees to rounding, with and without an offset, adding to what is there`, () => {
      const C = graphWithDegrees(120, k);
      const V = randomFactor(C.n, k, new Rng(k, 'V'));
      const at = 5;
      const out = new Float64Array(k + at);
      for (let i = 0; i < C.n; i++) {
        const start = Array.from({ length: k + at }, (_, r) => r * 0.25 - 1);
        out.set(start);
        addRowField(C, V, k, i, out, at);
        for (let r = 0; r < k; r++) {
          let ref = start[at + r]!;
          let mag = Math.abs(ref);
          for (let p = C.rowPtr[i]!; p < C.rowPtr[i + 1]!; p++) {
            ref += C.val[p]! * V[C.col[p]! * k + r]!;
            mag += Math.abs(C.val[p]! * V[C.col[p]! * k + r]!);
          }
          expect(Math.abs(out[at + r]! - ref)).toBeLessThanOrEqual(32 * 2 ** -52 * mag);
        }
        // entries before the offset are untouched
        for (let r = 0; r < at; r++) expect(out[r]).toBe(start[r]);
      }
    });
  }
});

describe('Rayleigh-Ritz estimate of lambda_min(Diag(y) - C) on span(V)', () => {
  it('is never below the dense lambda_min, equals the bottom Ritz value of an independent QR basis, and reports its residual', () => {
    for (const [n, k, seed, kernels] of [[60, 5, 1, 'js'], [150, 12, 2, 'js'], [200, 21, 3, 'js'], [150, 12, 4, 'wasm'], [200, 21, 5, 'wasm']] as const) {
      const C = randomMaxCut(n, 0.1, seed, seed % 2 === 0);
      const V = randomFactor(n, k, new Rng(seed, 'V'));
      const g = new Float64Array(k);
      for (let s = 0; s < 30; s++) mixingSweep(C, V, k, g);
      const y = new Float64Array(n);
      multipliers(C, V, k, y);
      const S = new Matrix(Array.from({ length: n }, (_, i) => Array.from(denseDualSlack(C, y).subarray(i * n, i * n + n))));
      const lmin = denseEigenvalues(S)[0]!;
      const est = subspaceEstimate(y, createKernels(C, k, V, kernels));
      const scale = S.norm('frobenius');
      expect(est.value).toBeGreaterThanOrEqual(lmin - 1e-12 * scale);
      // independent: ml-matrix QR of V, then the eigenvalues of Q' S Q
      const Vm = new Matrix(Array.from({ length: n }, (_, i) => Array.from(V.subarray(i * k, i * k + k))));
      const Q = new QrDecomposition(Vm).orthogonalMatrix;
      const H = Q.transpose().mmul(S).mmul(Q);
      const ref = denseEigenvalues(H.add(H.transpose()).mul(0.5))[0]!;
      expect(Math.abs(est.value - ref)).toBeLessThan(1e-10 * scale);
      // unit Ritz vector with the reported residual
      const u = Matrix.columnVector(Array.from(est.vector));
      expect(u.norm()).toBeCloseTo(1, 10);
      const r = S.mmul(u).sub(u.clone().mul(est.value)).norm();
      expect(Math.abs(r - est.residual)).toBeLessThan(1e-9 * scale);
    }
  });

  it('finds lambda_min exactly when its eigenvector lies in span(V)', () => {
    const n = 80;
    const k = 4;
    const C = randomMaxCut(n, 0.15, 7, true);
    const y = Float64Array.from({ length: n }, (_, i) => (i % 5) - 2);
    const S = new Matrix(Array.from({ length: n }, (_, i) => Array.from(denseDualSlack(C, y).subarray(i * n, i * n + n))));
    const eig = new EigenvalueDecomposition(S, { assumeSymmetric: true });
    const values = eig.realEigenvalues;
    const bottom = values.indexOf(Math.min(...values));
    const V = randomFactor(n, k, new Rng(7, 'V'));
    for (let i = 0; i < n; i++) V[i * k + 2] = eig.eigenvectorMatrix.get(i, bottom);
    const est = subspaceEstimate(y, createKernels(C, k, V, 'js'));
    const scale = S.norm('frobenius');
    expect(values[bottom]!).toBeLessThan(0);
    expect(Math.abs(est.value - values[bottom]!)).toBeLessThan(1e-10 * scale);
    expect(est.residual).toBeLessThan(1e-9 * scale);
  });
});

describe('over-relaxed mixing sweep', () => {
  it('matches a plain re-implementation of the over-relaxed row step, and every sweep gains exactly its reported gain', () => {
    for (const [n, k, seed, omega] of [[40, 3, 1, 1.5], [90, 8, 2, 1.8], [90, 9, 3, 1.95]] as const) {
      const C = randomMaxCut(n, 0.2, seed, seed % 2 === 1);
      const V = randomFactor(n, k, new Rng(seed, 'V'));
      const W = Float64Array.from(V);
      const g = new Float64Array(k);
      const value = (X: Float64Array) => {
        const y = new Float64Array(n);
        return multipliers(C, X, k, y);
      };
      for (let sweep = 0; sweep < 5; sweep++) {
        const before = value(V);
        const gain = mixingSweep(C, V, k, g, omega);
        expect(gain).toBeGreaterThanOrEqual(0);
        expect(Math.abs(value(V) - before - gain)).toBeLessThan(1e-9 * Math.max(1, Math.abs(before)));
        // the reference: u = g/|g|, w = omega u - (omega - 1) v, v = w/|w|, row by row
        for (let i = 0; i < n; i++) {
          const f = new Array<number>(k).fill(0);
          for (let p = C.rowPtr[i]!; p < C.rowPtr[i + 1]!; p++) for (let r = 0; r < k; r++) f[r]! += C.val[p]! * W[C.col[p]! * k + r]!;
          const fn = Math.hypot(...f);
          if (fn === 0) continue;
          const w = f.map((x, r) => (omega * x) / fn - (omega - 1) * W[i * k + r]!);
          const wn = Math.hypot(...w);
          for (let r = 0; r < k; r++) W[i * k + r] = w[r]! / wn;
        }
        for (let i = 0; i < n * k; i++) expect(Math.abs(V[i]! - W[i]!)).toBeLessThan(1e-10);
      }
    }
  });
});

describe('Jacobi eigensolver of the span(V) Ritz step', () => {
  it('matches ml-matrix eigenvalues and gives unit eigenvectors, JS and WebAssembly', () => {
    for (const m of [1, 2, 3, 7, 21, 33]) {
      const rng = new Rng(m, 'jacobi');
      const A = new Float64Array(m * m);
      for (let a = 0; a < m; a++) {
        for (let b = 0; b <= a; b++) {
          const x = rng.normal();
          A[a * m + b] = x;
          A[b * m + a] = x;
        }
      }
      // a cluster of nearly equal eigenvalues, as near a Burer-Monteiro stationary point
      if (m >= 3) for (let a = 0; a < m; a++) A[a * m + a]! += a < 3 ? 1e-9 * a : 0;
      const M = new Matrix(Array.from({ length: m }, (_, a) => Array.from(A.subarray(a * m, a * m + m))));
      const ref = denseEigenvalues(M)[0]!;
      const scale = M.norm('frobenius');
      for (const name of ['js', 'wasm'] as const) {
        const K = createKernels(randomMaxCut(40, 0.5, 1, false), m, randomFactor(40, m, new Rng(1, 'v')), name); // H holds up to k x k
        const H = Float64Array.from(A);
        const z = new Float64Array(m);
        const theta = K.smallestEigenpair(H, m, z);
        expect(Math.abs(theta - ref)).toBeLessThan(1e-13 * scale);
        const u = Matrix.columnVector(Array.from(z));
        expect(u.norm()).toBeCloseTo(1, 12);
        expect(M.mmul(u).sub(u.clone().mul(theta)).norm()).toBeLessThan(1e-12 * scale);
      }
    }
  });
});
