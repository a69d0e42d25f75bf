/**
 * The mixing method (Wang, Chang & Kolter 2017): block-coordinate ascent on the rows of V. With
 * the others fixed, <C, V V'> is linear in v_i, 2 v_i . g_i + const with g_i = sum_{j != i} C_ij v_j,
 * so the best unit v_i is u_i = g_i / |g_i|: an exact coordinate maximisation with no step size.
 * One sweep costs nnz(C) * k multiply-adds.
 *
 * Over-relaxation (successive over-relaxation, Young 1950, carried to the product of spheres):
 * the row moves past its maximiser, w_i = omega u_i - (omega - 1) v_i, v_i <- w_i / |w_i|. For
 * 1 <= omega < 2 each row step still gains: with phi the angle between v_i and u_i, the new angle
 * psi has tan psi = (omega - 1) sin phi / (omega - (omega - 1) cos phi) and psi < phi exactly when
 * 2 (omega - 1) cos phi < omega, true for omega < 2. Near a maximiser the sweep is block
 * Gauss-Seidel on the linearised stationarity condition, which over-relaxation accelerates as in the
 * linear case: on G1 the sweeps to a certified 1e-6 fall from 380 (omega = 1) to 50 at omega = 1.8
 * (bench/RESULTS.md, issue 10 third pass).
 */
import type { SymCsr } from '../../src/core/sym-csr.js';
import { rowField } from './factor.js';

/**
 * One sweep over all rows (maximisation), over-relaxed by `omega` in [1, 2). Returns the increase
 * of <C, V V'> it made, exactly 2 * sum_i (v_i_new . g_i - v_i_old . g_i) >= 0.
 */
export function mixingSweep(C: SymCsr, V: Float64Array, k: number, g: Float64Array, omega = 1): number {
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
    if (omega === 1) {
      const inv = 1 / norm;
      for (let r = 0; r < k; r++) V[base + r] = g[r]! * inv;
      gain += 2 * (norm - old);
      continue;
    }
    const a = omega / norm;
    const b = omega - 1;
    let ww = 0;
    let wg = 0;
    for (let r = 0; r < k; r++) {
      const w = a * g[r]! - b * V[base + r]!;
      V[base + r] = w;
      ww += w * w;
      wg += w * g[r]!;
    }
    const inv = 1 / Math.sqrt(ww);
    for (let r = 0; r < k; r++) V[base + r]! *= inv;
    gain += 2 * (wg * inv - old);
  }
  return gain;
}
