/**
 * The WebAssembly kernels (src/numerics/sdp-kernels.wat) against the JavaScript reference and
 * against dense computations with ml-matrix, on generated instances whose row lengths and ranks
 * run through every unrolling tail (chunks of 8 columns, pairs, an odd last column).
 */
import { describe, expect, it } from 'vitest';
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { createKernels } from '../solvers/bm/kernels.js';
import { randomFactor } from '../solvers/bm/factor.js';
import { symCsrFromTriplets, symCsrToDense } from '../src/numerics/csr.js';
import { provePositiveDefinite, roundingShift, WasmCholeskyProver } from '../src/numerics/cholesky.js';
import { sdpWasmUnavailable } from '../src/numerics/sdp-wasm.js';
import type { SymCsr } from '../src/core/sym-csr.js';
import { Rng } from '../src/numerics/rng.js';
import { denseEigenvalues, randomDenseSym, toMatrix } from './bm-helpers.js';

/** rows of degree 0..22 and a random diagonal */
function graph(n: number, seed: number): SymCsr {
  const rng = new Rng(seed, 'wasm-graph');
  const r: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  for (let i = 0; i < n; i++) {
    r.push(i), c.push(i), v.push(rng.normal());
    for (let d = 0; d < i % 23; d++) {
      const j = rng.int(n);
      if (j !== i) r.push(i), c.push(j), v.push(rng.normal());
    }
  }
  return symCsrFromTriplets(n, r, c, v);
}

const close = (a: number, b: number, scale: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-12 * Math.max(1, scale));

describe('WebAssembly SDP kernels vs the JavaScript reference', () => {
  it('load on this Node', () => {
    expect(sdpWasmUnavailable()).toBeUndefined();
  });

  for (const k of [1, 2, 3, 7, 8, 9, 16, 17, 41]) {
    it(`k = ${k}: sweep, multipliers and C X agree (C X also with ml-matrix)`, () => {
      const C = graph(90, k);
      const V0 = randomFactor(C.n, k, new Rng(k, 'V'));
      const js = createKernels(C, k, V0, 'js');
      const wasm = createKernels(C, k, V0, 'wasm');
      expect(wasm.name).toBe('wasm');
      const yj = new Float64Array(C.n);
      const yw = new Float64Array(C.n);
      close(wasm.multipliers(yw), js.multipliers(yj), 100);
      for (let i = 0; i < C.n; i++) close(yw[i]!, yj[i]!, 10);
      for (let s = 0; s < 3; s++) close(wasm.sweep(), js.sweep(), 100);
      for (let i = 0; i < C.n * k; i++) expect(Math.abs(wasm.V[i]! - js.V[i]!)).toBeLessThan(1e-10);
      // over-relaxed sweeps (mixing.ts): the same gains and factor
      for (const omega of [1.5, 1.8, 1.99]) close(wasm.sweep(omega), js.sweep(omega), 100);
      for (let i = 0; i < C.n * k; i++) expect(Math.abs(wasm.V[i]! - js.V[i]!)).toBeLessThan(1e-9);
      // C X for an X that is not V, against ml-matrix
      const X = randomFactor(C.n, k, new Rng(k, 'X'));
      const out = new Float64Array(C.n * k);
      wasm.applyC(X, out);
      const ref = toMatrix(C).mmul(new Matrix(Array.from({ length: C.n }, (_, i) => Array.from(X.subarray(i * k, i * k + k)))));
      for (let i = 0; i < C.n; i++) for (let r = 0; r < k; r++) close(out[i * k + r]!, ref.get(i, r), 20);
      // and C V itself (no copy of V)
      const outJ = new Float64Array(C.n * k);
      wasm.applyC(wasm.V, out);
      js.applyC(wasm.V, outJ);
      for (let i = 0; i < C.n * k; i++) close(out[i]!, outJ[i]!, 20);
    });
  }
});

describe('WebAssembly Cholesky proof', () => {
  for (const n of [1, 2, 3, 4, 5, 7, 10, 33, 100, 301]) {
    it(`n=${n}: proves A + sigma I psd just above -lambda_min, refuses just below, like the JS proof`, () => {
      const A = randomDenseSym(n, 3000 + n);
      const eig = denseEigenvalues(toMatrix(A));
      const lmin = eig[0]!;
      const scale = Math.max(Math.abs(eig[0]!), Math.abs(eig[n - 1]!));
      const dense = symCsrToDense(A);
      const prover = new WasmCholeskyProver(n);
      for (const [shift, expected] of [
        [-lmin + 1e-8 * scale, true],
        [-lmin - 1e-8 * scale, false],
        [-lmin - 0.5, false],
        [-lmin + 1, true],
      ] as const) {
        prover.matrix.set(dense);
        expect(prover.prove(shift)).toBe(expected);
        expect(provePositiveDefinite(dense, n, shift)).toBe(expected);
      }
    });
  }

  for (const n of [1, 4, 6, 9, 31, 120]) {
    it(`n=${n}: the factor left in memory matches ml-matrix's CholeskyDecomposition`, () => {
      const A = randomDenseSym(n, 4000 + n);
      const shift = -denseEigenvalues(toMatrix(A))[0]! + 1;
      const dense = symCsrToDense(A);
      const prover = new WasmCholeskyProver(n);
      prover.matrix.set(dense);
      expect(prover.prove(shift)).toBe(true);
      let trace = 0;
      for (let i = 0; i < n; i++) trace += dense[i * n + i]! + shift;
      const d = shift - roundingShift(n, trace);
      const ref = new CholeskyDecomposition(toMatrix(A).add(Matrix.eye(n).mul(d))).lowerTriangularMatrix;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j <= i; j++) expect(Math.abs(prover.matrix[i * n + j]! - ref.get(i, j))).toBeLessThan(1e-10 * Math.max(1, Math.abs(ref.get(i, j))));
      }
    });
  }
});

describe('span(V) Ritz estimate: WebAssembly basis and projection vs the JavaScript reference', () => {
  for (const k of [1, 2, 3, 8, 9, 17]) {
    it(`k = ${k}: same basis size, Ritz value, vector and residual`, async () => {
      const { subspaceEstimate } = await import('../solvers/bm/certificate.js');
      const C = graph(70, 5 + k);
      const V = randomFactor(C.n, k, new Rng(4 + k, 'V'));
      // a nearly dependent last column (kept: 1e-6 of it is new) and, for k >= 3, an exactly
      // dependent one (dropped): both paths must agree on both
      if (k >= 2) for (let i = 0; i < C.n; i++) V[i * k + k - 1] = V[i * k]! + 1e-6 * Math.sin(i);
      if (k >= 3) for (let i = 0; i < C.n; i++) V[i * k + 1] = 2 * V[i * k]!;
      const y = Float64Array.from({ length: C.n }, (_, i) => 0.1 * i - 3);
      const plain = subspaceEstimate(y, createKernels(C, k, V, 'js'));
      const fast = subspaceEstimate(y, createKernels(C, k, V, 'wasm'));
      expect(fast.steps).toBe(plain.steps);
      expect(plain.steps).toBe(k >= 3 ? k - 1 : k);
      expect(Math.abs(fast.value - plain.value)).toBeLessThan(1e-10 * Math.max(1, Math.abs(plain.value)));
      expect(Math.abs(fast.residual - plain.residual)).toBeLessThan(1e-8);
      // the Ritz vector up to sign
      let dot = 0;
      for (let i = 0; i < C.n; i++) dot += fast.vector[i]! * plain.vector[i]!;
      expect(Math.abs(Math.abs(dot) - 1)).toBeLessThan(1e-8);
    });
  }
});
