/**
 * Goemans-Williamson hyperplane rounding x = sign(V r), r ~ N(0, I_k), best of several draws, each
 * followed by 1-flip local search on x'Cx (maximisation) until no single flip improves.
 */
import type { SymCsr } from '../../src/core/sym-csr.js';
import type { Rng } from '../../src/numerics/rng.js';

export interface Rounding {
  x: Int8Array;
  /** x'Cx of the best draw after local search */
  value: number;
  /** x'Cx of the best draw before local search */
  bestRaw: number;
  draws: number;
  flips: number;
}

/** x'Cx */
export function quadraticValue(C: SymCsr, x: ArrayLike<number>): number {
  const { n, diag, rowPtr, col, val } = C;
  let total = 0;
  for (let i = 0; i < n; i++) {
    let h = 0;
    for (let p = rowPtr[i]!; p < rowPtr[i + 1]!; p++) h += val[p]! * x[col[p]!]!;
    total += diag[i]! + x[i]! * h;
  }
  return total;
}

/** 1-flip ascent in place; returns the number of flips. */
export function oneFlipAscent(C: SymCsr, x: Int8Array, h: Float64Array): number {
  const { n, rowPtr, col, val } = C;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let p = rowPtr[i]!; p < rowPtr[i + 1]!; p++) s += val[p]! * x[col[p]!]!;
    h[i] = s;
  }
  let scale = 0;
  for (let i = 0; i < n; i++) scale += Math.abs(h[i]!);
  const tol = 1e-12 * Math.max(1, scale);
  let flips = 0;
  let improved = true;
  while (improved) {
    improved = false;
    for (let i = 0; i < n; i++) {
      // flipping x_i changes x'Cx by -4 x_i h_i
      if (-4 * x[i]! * h[i]! > tol) {
        const xi = x[i]!;
        x[i] = -xi as 1 | -1;
        for (let p = rowPtr[i]!; p < rowPtr[i + 1]!; p++) h[col[p]!]! -= 2 * xi * val[p]!;
        flips++;
        improved = true;
      }
    }
  }
  return flips;
}

export function hyperplaneRounding(C: SymCsr, V: Float64Array, k: number, draws: number, rng: Rng): Rounding {
  const n = C.n;
  const r = new Float64Array(k);
  const x = new Int8Array(n);
  const h = new Float64Array(n);
  let best: Rounding | undefined;
  let bestRaw = -Infinity;
  let flips = 0;
  for (let d = 0; d < Math.max(1, draws); d++) {
    for (let t = 0; t < k; t++) r[t] = rng.normal();
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += V[i * k + t]! * r[t]!;
      x[i] = s >= 0 ? 1 : -1;
    }
    bestRaw = Math.max(bestRaw, quadraticValue(C, x));
    flips += oneFlipAscent(C, x, h);
    const value = quadraticValue(C, x);
    if (!best || value > best.value) best = { x: Int8Array.from(x), value, bestRaw: 0, draws: 0, flips: 0 };
  }
  return { ...best!, bestRaw, draws: Math.max(1, draws), flips };
}
