/**
 * The Burer-Monteiro factor: X = V V' with V (n x k, row-major) having unit rows, so that
 * diag(X) = 1 holds by construction. Shared by both algorithms, the certificate and rounding.
 */
import type { SymCsr } from '../../src/csr.js';
import type { Rng } from '../../src/rng.js';

export function defaultRank(n: number): number {
  return Math.min(n, Math.ceil(Math.sqrt(2 * n)) + 1);
}

/** Random unit rows (uniform on each sphere). */
export function randomFactor(n: number, k: number, rng: Rng): Float64Array {
  const V = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    let norm = 0;
    for (let r = 0; r < k; r++) {
      const z = rng.normal();
      V[i * k + r] = z;
      norm += z * z;
    }
    norm = Math.sqrt(norm);
    for (let r = 0; r < k; r++) V[i * k + r]! /= norm;
  }
  return V;
}

/** out_i = sum_{j != i} C_ij v_j for one row i (the off-diagonal "field" on v_i). */
export function rowField(C: SymCsr, V: Float64Array, k: number, i: number, out: Float64Array): void {
  out.fill(0);
  const { rowPtr, col, val } = C;
  for (let p = rowPtr[i]!; p < rowPtr[i + 1]!; p++) {
    const c = val[p]!;
    const base = col[p]! * k;
    for (let r = 0; r < k; r++) out[r]! += c * V[base + r]!;
  }
}

/**
 * The first-order multipliers y_i = (C V V')_ii = C_ii + v_i . sum_{j != i} C_ij v_j, written into
 * y; their sum is the objective <C, V V'>, which is returned.
 */
export function multipliers(C: SymCsr, V: Float64Array, k: number, y: Float64Array): number {
  const g = new Float64Array(k);
  let total = 0;
  for (let i = 0; i < C.n; i++) {
    rowField(C, V, k, i, g);
    let dot = 0;
    const base = i * k;
    for (let r = 0; r < k; r++) dot += g[r]! * V[base + r]!;
    y[i] = C.diag[i]! + dot;
    total += y[i]!;
  }
  return total;
}
