/**
 * Goemans-Williamson hyperplane rounding x = sign(V r), r ~ N(0, I_k), best of several draws, each
 * followed by 1-flip local search on x'Cx (maximisation) until no single flip improves: the
 * shared local search (solvers/common/local-search.ts) on the SymCsr flip state of -x'Cx.
 */
import type { SymCsr } from '../../src/core/sym-csr.js';
import type { Rng } from '../../src/numerics/rng.js';
import { quadraticValue, symCsrFlipState } from '../../src/numerics/sym-csr-flip-state.js';
import { descendByFlips } from '../common/local-search.js';

export interface Rounding {
  x: Int8Array;
  /** x'Cx of the best draw after local search */
  value: number;
  /** x'Cx of the best draw before local search */
  bestRaw: number;
  draws: number;
  flips: number;
}

/** `deadline` (performance.now()): no draw after the first starts past it. */
export function hyperplaneRounding(C: SymCsr, V: Float64Array, k: number, draws: number, rng: Rng, deadline = Infinity): Rounding {
  const n = C.n;
  const r = new Float64Array(k);
  const x = new Int8Array(n);
  let best: { x: Int8Array; value: number } | undefined;
  let bestRaw = -Infinity;
  let flips = 0;
  let d = 0;
  for (; d < Math.max(1, draws); d++) {
    if (d > 0 && performance.now() >= deadline) break;
    for (let t = 0; t < k; t++) r[t] = rng.normal();
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += V[i * k + t]! * r[t]!;
      x[i] = s >= 0 ? 1 : -1;
    }
    bestRaw = Math.max(bestRaw, quadraticValue(C, x));
    const state = symCsrFlipState(C, x, -1);
    flips += descendByFlips(state, n).flips;
    const value = quadraticValue(C, state.w);
    if (!best || value > best.value) best = { x: Int8Array.from(state.w), value };
  }
  return { ...best!, bestRaw, draws: d, flips };
}
