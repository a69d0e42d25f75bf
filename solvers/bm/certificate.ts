/**
 * Dual bounds for max <C, X> s.t. diag(X) = 1, X psd (DESIGN.md section 3). For any y, if
 * S + sigma I is psd with S = Diag(y) - C, then y + sigma 1 is dual feasible and
 *   OPT <= sum(y) + n sigma.
 * We take y_i = (C V V')_ii (then sum(y) is the primal value p), so the certified gap is n sigma.
 * sigma comes from, in order of preference:
 *   'cholesky'   an estimate of lambda_min(S) suggests sigma (a Ritz value on span(V), see
 *                subspaceEstimate, or Lanczos), and a floating-point Cholesky of S + sigma I with
 *                Rump's rounding-error shift PROVES S + sigma I psd.
 *   'gershgorin' sigma = max(0, -min_i (S_ii - sum_j |S_ij|)): always valid, usually loose.
 *   'lanczos'    sigma = max(0, -theta) for the Lanczos Ritz value theta, only when Cholesky is
 *                switched off or too large: NOT a proof (theta >= lambda_min), reported as such.
 */
import { lazyRequire } from '../../src/core/lazy-require.js';
import type { SymCsr } from '../../src/core/sym-csr.js';
import { lanczosSmallest, type LanczosResult } from '../../src/numerics/lanczos.js';
import { provePositiveDefinite } from '../../src/numerics/cholesky.js';
import type { Rng } from '../../src/numerics/rng.js';

const mlMatrix = lazyRequire<typeof import('ml-matrix')>('ml-matrix');

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

/**
 * The smallest Ritz value of S = Diag(y) - C on the column space of V (Rayleigh-Ritz), with its
 * Ritz vector and residual |S u - theta u|. Like a Lanczos Ritz value it is never below
 * lambda_min(S) (Courant-Fischer), so it is an estimate, never a proof. Why this subspace: near a
 * Burer-Monteiro stationary point S V ~ 0, so the bottom of the spectrum is a cluster of about k
 * eigenvalues within ~1e-4 of 0 (the negative ones among them), separated by ~0.4 from the rest
 * on G1. Lanczos cannot resolve inside that cluster in 150 steps (on G1 at sweep 180 its Ritz
 * value was -1.1 tol-units where the true lambda_min is -5.2), while span(V) is almost exactly
 * the cluster's invariant subspace, and the Ritz values on it match the dense eigenvalues to
 * three digits (measured on G1 from sweep 100 to 380) at the cost of about two sweeps.
 */
export function subspaceEstimate(C: SymCsr, y: Float64Array, V: Float64Array, k: number): LanczosResult {
  const n = C.n;
  // orthonormal basis of span(V): modified Gram-Schmidt, twice; dependent columns are dropped
  const Q: Float64Array[] = [];
  for (let c = 0; c < k; c++) {
    const q = new Float64Array(n);
    let norm0 = 0;
    for (let i = 0; i < n; i++) {
      q[i] = V[i * k + c]!;
      norm0 += q[i]! * q[i]!;
    }
    for (let pass = 0; pass < 2; pass++) {
      for (const b of Q) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += q[i]! * b[i]!;
        for (let i = 0; i < n; i++) q[i]! -= dot * b[i]!;
      }
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += q[i]! * q[i]!;
    if (!(norm > 1e-20 * norm0) || norm === 0) continue;
    const inv = 1 / Math.sqrt(norm);
    for (let i = 0; i < n; i++) q[i]! *= inv;
    Q.push(q);
  }
  const m = Q.length;
  const apply = dualSlackOperator(C, y);
  const SQ = Q.map((q) => {
    const out = new Float64Array(n);
    apply(q, out);
    return out;
  });
  const { Matrix, EigenvalueDecomposition } = mlMatrix();
  const H = new Matrix(m, m);
  for (let a = 0; a < m; a++) {
    for (let b = 0; b <= a; b++) {
      // symmetrised: (q_a . S q_b + q_b . S q_a) / 2
      let s = 0;
      for (let i = 0; i < n; i++) s += Q[a]![i]! * SQ[b]![i]! + Q[b]![i]! * SQ[a]![i]!;
      H.set(a, b, 0.5 * s);
      H.set(b, a, 0.5 * s);
    }
  }
  const eig = new EigenvalueDecomposition(H, { assumeSymmetric: true });
  const values = eig.realEigenvalues;
  let best = 0;
  for (let j = 1; j < m; j++) if (values[j]! < values[best]!) best = j;
  const theta = values[best]!;
  const vector = new Float64Array(n);
  const Su = new Float64Array(n);
  for (let a = 0; a < m; a++) {
    const z = eig.eigenvectorMatrix.get(a, best);
    for (let i = 0; i < n; i++) {
      vector[i]! += z * Q[a]![i]!;
      Su[i]! += z * SQ[a]![i]!;
    }
  }
  let residual = 0;
  for (let i = 0; i < n; i++) residual += (Su[i]! - theta * vector[i]!) ** 2;
  return { value: theta, residual: Math.sqrt(residual), steps: m, converged: false, vector };
}

/** Whether S + sigma I is proven psd (dense Cholesky; S built once per call). */
export function proveShift(C: SymCsr, y: Float64Array, sigma: number): boolean {
  return provePositiveDefinite(denseDualSlack(C, y), C.n, sigma);
}
