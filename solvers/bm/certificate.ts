/**
 * Dual bounds for max <C, X> s.t. diag(X) = 1, X psd (DESIGN.md section 3). For any y, if
 * S + sigma I is psd with S = Diag(y) - C, then y + sigma 1 is dual feasible and
 *   OPT <= sum(y) + n sigma.
 * We take y_i = (C V V')_ii (then sum(y) is the primal value p), so the certified gap is n sigma.
 * sigma comes from, in order of preference:
 *   'cholesky'   a Lanczos estimate of lambda_min(S) suggests sigma, and a floating-point Cholesky
 *                of S + sigma I with Rump's rounding-error shift PROVES S + sigma I psd.
 *   'gershgorin' sigma = max(0, -min_i (S_ii - sum_j |S_ij|)): always valid, usually loose.
 *   'lanczos'    sigma = max(0, -theta) for the Lanczos Ritz value theta, only when Cholesky is
 *                switched off or too large: NOT a proof (theta >= lambda_min), reported as such.
 */
import type { SymCsr } from '../../src/csr.js';
import { lanczosSmallest, type LanczosResult } from '../../src/lanczos.js';
import { provePositiveDefinite } from '../../src/cholesky.js';
import type { Rng } from '../../src/rng.js';

export type BoundMethod = 'cholesky' | 'gershgorin' | 'lanczos';

export interface DualBound {
  /** upper bound on OPT (maximisation) */
  bound: number;
  sigma: number;
  method: BoundMethod;
  /** true when the bound is proven (cholesky, gershgorin), false for a Lanczos estimate */
  proven: boolean;
}

/** y -> S x = y .* x - C x */
export function dualSlackOperator(C: SymCsr, y: Float64Array): (x: Float64Array, out: Float64Array) => void {
  const { n, diag, rowPtr, col, val } = C;
  return (x, out) => {
    for (let i = 0; i < n; i++) {
      let s = (y[i]! - diag[i]!) * x[i]!;
      for (let p = rowPtr[i]!; p < rowPtr[i + 1]!; p++) s -= val[p]! * x[col[p]!]!;
      out[i] = s;
    }
  };
}

export function denseDualSlack(C: SymCsr, y: Float64Array): Float64Array {
  const { n, diag, rowPtr, col, val } = C;
  const S = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    S[i * n + i] = y[i]! - diag[i]!;
    for (let p = rowPtr[i]!; p < rowPtr[i + 1]!; p++) S[i * n + col[p]!] = -val[p]!;
  }
  return S;
}

export function gershgorinBound(C: SymCsr, y: Float64Array, primal: number): DualBound {
  const { n, diag, rowPtr, val } = C;
  let low = Infinity;
  for (let i = 0; i < n; i++) {
    let r = 0;
    for (let p = rowPtr[i]!; p < rowPtr[i + 1]!; p++) r += Math.abs(val[p]!);
    low = Math.min(low, y[i]! - diag[i]! - r);
  }
  // a relative 1e-12 on top covers the rounding in the row sums
  const sigma = Math.max(0, -low) * (1 + 1e-12) + 1e-12 * Math.abs(low);
  return { bound: primal + n * sigma, sigma, method: 'gershgorin', proven: true };
}

export function lanczosEstimate(C: SymCsr, y: Float64Array, rng: Rng, tol: number, maxSteps: number, stopBelow?: number, start?: Float64Array): LanczosResult {
  return lanczosSmallest(C.n, dualSlackOperator(C, y), rng, {
    tol,
    maxSteps,
    ...(stopBelow !== undefined ? { stopBelow } : {}),
    ...(start ? { start } : {}),
  });
}

/** Whether S + sigma I is proven psd (dense Cholesky; S built once per call). */
export function proveShift(C: SymCsr, y: Float64Array, sigma: number): boolean {
  return provePositiveDefinite(denseDualSlack(C, y), C.n, sigma);
}
