/**
 * The smallest eigenvalue of a symmetric operator by Lanczos with full reorthogonalisation,
 * on typed arrays. The answer is a Ritz value theta with its residual norm r = |S u - theta u|:
 * theta is never below lambda_min (Courant-Fischer), so on its own it is an UPPER bound on
 * lambda_min and cannot certify anything; r only says that SOME eigenvalue lies within r of theta.
 * Callers that need a proof (the SDP certificate) verify with a shifted Cholesky factorisation
 * (src/cholesky.ts); Lanczos tells them which shift to try.
 */
import type { Rng } from './rng.js';

export interface LanczosOptions {
  /** stop when the Ritz residual |S u - theta u| is at most this */
  tol: number;
  /** at most this many Lanczos vectors (capped at n) */
  maxSteps: number;
  /** check convergence every this many steps */
  checkEvery?: number;
  /** give up early once the Ritz value is below this (it can only go lower) */
  stopBelow?: number;
  /** a start vector (e.g. the previous Ritz vector); a little random noise is added to it */
  start?: Float64Array;
  /** performance.now() after which no further step is taken (the answer is still a Ritz value) */
  deadline?: number;
}

export interface LanczosResult {
  /** the smallest Ritz value: an upper bound on lambda_min, close to it when converged */
  value: number;
  /** |S u - value u| for the unit Ritz vector u */
  residual: number;
  steps: number;
  /** true when the residual met tol or the Krylov space became invariant */
  converged: boolean;
  vector: Float64Array;
}

/** Number of eigenvalues of the tridiagonal (alpha, beta) below x (Sturm count via LDL'). */
function countBelow(alpha: Float64Array, beta: Float64Array, m: number, x: number): number {
  let count = 0;
  let d = 1;
  for (let i = 0; i < m; i++) {
    const b2 = i > 0 ? beta[i - 1]! * beta[i - 1]! : 0;
    d = alpha[i]! - x - (i > 0 ? b2 / d : 0);
    if (d === 0) d = -1e-300;
    if (d < 0) count++;
  }
  return count;
}

/** Smallest eigenvalue of the m x m tridiagonal by bisection (to machine precision). */
export function tridiagonalMin(alpha: Float64Array, beta: Float64Array, m: number): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < m; i++) {
    const r = (i > 0 ? Math.abs(beta[i - 1]!) : 0) + (i < m - 1 ? Math.abs(beta[i]!) : 0);
    lo = Math.min(lo, alpha[i]! - r);
    hi = Math.max(hi, alpha[i]! + r);
  }
  for (let it = 0; it < 200; it++) {
    const mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) break;
    if (countBelow(alpha, beta, m, mid) >= 1) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * Unit eigenvector of the tridiagonal for its smallest eigenvalue theta: inverse iteration with a
 * shift just below theta, where T - shift I is positive definite and the plain tridiagonal
 * elimination is stable.
 */
function tridiagonalMinVector(alpha: Float64Array, beta: Float64Array, m: number, theta: number): Float64Array {
  let scale = 0;
  for (let i = 0; i < m; i++) scale = Math.max(scale, Math.abs(alpha[i]!), i < m - 1 ? Math.abs(beta[i]!) : 0);
  const shift = theta - Math.max(scale, 1e-300) * 1e-10;
  const z = new Float64Array(m).fill(1 / Math.sqrt(m));
  const d = new Float64Array(m);
  const rhs = new Float64Array(m);
  for (let it = 0; it < 3; it++) {
    // forward elimination of (T - shift I) z_new = z
    rhs.set(z);
    d[0] = alpha[0]! - shift;
    for (let i = 1; i < m; i++) {
      const l = beta[i - 1]! / d[i - 1]!;
      d[i] = alpha[i]! - shift - l * beta[i - 1]!;
      rhs[i]! -= l * rhs[i - 1]!;
    }
    z[m - 1] = rhs[m - 1]! / d[m - 1]!;
    for (let i = m - 2; i >= 0; i--) z[i] = (rhs[i]! - beta[i]! * z[i + 1]!) / d[i]!;
    let norm = 0;
    for (let i = 0; i < m; i++) norm += z[i]! * z[i]!;
    norm = Math.sqrt(norm);
    if (!(norm > 0) || !Number.isFinite(norm)) break;
    for (let i = 0; i < m; i++) z[i]! /= norm;
  }
  return z;
}

export function lanczosSmallest(
  n: number,
  apply: (x: Float64Array, out: Float64Array) => void,
  rng: Rng,
  options: LanczosOptions,
): LanczosResult {
  const maxSteps = Math.max(1, Math.min(n, options.maxSteps));
  const checkEvery = options.checkEvery ?? 10;
  const Q = new Float64Array(maxSteps * n);
  const alpha = new Float64Array(maxSteps);
  const beta = new Float64Array(maxSteps);
  const w = new Float64Array(n);
  // random unit start: deterministic given the rng, and with probability 1 not orthogonal to the
  // eigenvector we look for
  let norm = 0;
  let startNorm = 0;
  if (options.start) for (let i = 0; i < n; i++) startNorm += options.start[i]! ** 2;
  const noise = startNorm > 0 ? 0.01 / Math.sqrt(n) : 1;
  for (let i = 0; i < n; i++) {
    Q[i] = noise * rng.normal() + (startNorm > 0 ? options.start![i]! / Math.sqrt(startNorm) : 0);
    norm += Q[i]! * Q[i]!;
  }
  norm = Math.sqrt(norm);
  for (let i = 0; i < n; i++) Q[i]! /= norm;

  let m = 0;
  let theta = Infinity;
  let residual = Infinity;
  let s: Float64Array | undefined;
  let invariant = false;
  const q = new Float64Array(n);
  for (let step = 0; step < maxSteps; step++) {
    const base = step * n;
    for (let i = 0; i < n; i++) q[i] = Q[base + i]!;
    apply(q, w);
    let a = 0;
    for (let i = 0; i < n; i++) a += w[i]! * q[i]!;
    alpha[step] = a;
    m = step + 1;
    // full reorthogonalisation against every Lanczos vector (one classical Gram-Schmidt pass:
    // enough to keep ghost copies away; the result is an estimate in any case)
    for (let pass = 0; pass < 1; pass++) {
      for (let j = 0; j <= step; j++) {
        const qb = j * n;
        let dot = 0;
        for (let i = 0; i < n; i++) dot += w[i]! * Q[qb + i]!;
        for (let i = 0; i < n; i++) w[i]! -= dot * Q[qb + i]!;
      }
    }
    let b = 0;
    for (let i = 0; i < n; i++) b += w[i]! * w[i]!;
    b = Math.sqrt(b);
    beta[step] = b;
    const last = step === maxSteps - 1 || (options.deadline !== undefined && performance.now() >= options.deadline);
    let scale = 0;
    for (let i = 0; i <= step; i++) scale = Math.max(scale, Math.abs(alpha[i]!), Math.abs(beta[i]!));
    invariant = b <= 1e-14 * Math.max(scale, 1e-300);
    if (invariant || last || m % checkEvery === 0) {
      theta = tridiagonalMin(alpha, beta, m);
      s = tridiagonalMinVector(alpha, beta, m, theta);
      residual = invariant ? 0 : Math.abs(b * s[m - 1]!);
      if (invariant || residual <= options.tol || last) break;
      if (options.stopBelow !== undefined && theta < options.stopBelow) break;
    }
    const nb = (step + 1) * n;
    for (let i = 0; i < n; i++) Q[nb + i] = w[i]! / b;
  }
  const vector = new Float64Array(n);
  for (let j = 0; j < m; j++) {
    const sj = s![j]!;
    const qb = j * n;
    for (let i = 0; i < n; i++) vector[i]! += sj * Q[qb + i]!;
  }
  return { value: theta, residual, steps: m, converged: invariant || residual <= options.tol, vector };
}
