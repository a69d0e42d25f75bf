/**
 * The mixing method (Wang, Chang & Kolter 2017): block-coordinate ascent on the rows of V. With
 * the others fixed, <C, V V'> is linear in v_i, 2 v_i . g_i + const with g_i = sum_{j != i} C_ij v_j,
 * so the best unit v_i is g_i / |g_i|: an exact coordinate maximisation with no step size.
 * One sweep costs nnz(C) * k multiply-adds.
 */
import type { SymCsr } from '../../src/core/sym-csr.js';
import { rowField } from './factor.js';

/**
 * One sweep over all rows (maximisation). Returns the increase of <C, V V'> it made, which is
 * exactly 2 * sum_i (|g_i| - v_i_old . g_i) >= 0.
 */
export function mixingSweep(C: SymCsr, V: Float64Array, k: number, g: Float64Array): number {
  const n = C.n;
  let gain = 0;
  for (let i = 0; i < n; i++) {
    rowField(C, V, k, i, g);
    let norm = 0;
    let old = 0;
    const base = i * k;
    for (let r = 0; r < k; r++) {
      norm += g[r]! * g[r]!;
      old += g[r]! * V[base + r]!;
    }
    norm = Math.sqrt(norm);
    if (norm === 0) continue; // isolated vertex: any unit v_i is optimal
    const inv = 1 / norm;
    for (let r = 0; r < k; r++) V[base + r] = g[r]! * inv;
    gain += 2 * (norm - old);
  }
  return gain;
}
