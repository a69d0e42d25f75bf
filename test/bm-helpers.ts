/** Shared generators and independent dense computations for the bm tests. */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { symCsrFromTriplets } from '../src/numerics/csr.js';
import type { SymCsr } from '../src/core/sym-csr.js';
import { Rng } from '../src/numerics/rng.js';

/** A random graph's L/4 (MaxCut form), weights +1 or +-1. */
export function randomMaxCut(n: number, p: number, seed: number, signed: boolean): SymCsr {
  const rng = new Rng(seed, 'graph');
  const r: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (!rng.bernoulli(p)) continue;
      const w = (signed ? rng.sign() : 1) / 4;
      r.push(i, j, i);
      c.push(i, j, j);
      v.push(w, w, -w);
    }
  }
  return symCsrFromTriplets(n, r, c, v);
}

/** A dense random symmetric matrix with N(0,1) entries, as a SymCsr. */
export function randomDenseSym(n: number, seed: number): SymCsr {
  const rng = new Rng(seed, 'dense');
  const r: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) r.push(i), c.push(j), v.push(rng.normal());
  return symCsrFromTriplets(n, r, c, v);
}

export function toMatrix(A: SymCsr): Matrix {
  const M = Matrix.zeros(A.n, A.n);
  for (let i = 0; i < A.n; i++) {
    M.set(i, i, A.diag[i]!);
    for (let p = A.rowPtr[i]!; p < A.rowPtr[i + 1]!; p++) M.set(i, A.col[p]!, A.val[p]!);
  }
  return M;
}

export function denseEigenvalues(M: Matrix): number[] {
  return new EigenvalueDecomposition(M, { assumeSymmetric: true }).realEigenvalues.slice().sort((a, b) => a - b);
}

/**
 * The dual bound recomputed independently with ml-matrix for maximisation of <C, X>: y_i = (C V V')_ii,
 * lambda_min of Diag(y) - C by dense eigendecomposition, d = sum(y) + n max(0, -lambda_min).
 */
export function independentDualBound(C: SymCsr, V: Float64Array, k: number): { primal: number; lambdaMin: number; bound: number } {
  const n = C.n;
  const Cm = toMatrix(C);
  const Vm = new Matrix(n, k);
  for (let i = 0; i < n; i++) for (let r = 0; r < k; r++) Vm.set(i, r, V[i * k + r]!);
  const CV = Cm.mmul(Vm);
  const S = Cm.neg();
  let primal = 0;
  for (let i = 0; i < n; i++) {
    let yi = 0;
    for (let r = 0; r < k; r++) yi += CV.get(i, r) * Vm.get(i, r);
    primal += yi;
    S.set(i, i, S.get(i, i) + yi);
  }
  const lambdaMin = denseEigenvalues(S)[0]!;
  return { primal, lambdaMin, bound: primal + n * Math.max(0, -lambdaMin) };
}

/** max x'Cx over {-1,1}^n by enumeration (n <= 16). */
export function bruteForceMax(C: SymCsr): number {
  const M = toMatrix(C).to2DArray();
  const n = C.n;
  let best = -Infinity;
  const x = new Array<number>(n);
  for (let code = 0; code < 2 ** n; code++) {
    for (let i = 0; i < n; i++) x[i] = (code >> i) & 1 ? 1 : -1;
    let v = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) v += M[i]![j]! * x[i]! * x[j]!;
    best = Math.max(best, v);
  }
  return best;
}
