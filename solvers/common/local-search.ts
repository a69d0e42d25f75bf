/**
 * 1-flip local search: flip any single variable that lowers the loss, sweeping until none does.
 * The mechanism behind the `local` solver, the polish step of every solver (`--polish`) and the
 * 1-flip step after `bm`'s hyperplane rounding (on the SDP's own quadratic form).
 */
import type { FlipState, Problem } from '../../src/core/problem.js';
import { flipStateFor } from '../../src/core/flip-state.js';
import type { Signs } from '../../src/core/signs.js';

export interface LocalSearchOutcome {
  w: Signs;
  value: number;
  flips: number;
  sweeps: number;
}

export function localSearch(problem: Problem, start: Signs, maxSweeps = Infinity): LocalSearchOutcome {
  const state = flipStateFor(problem, start);
  const { flips, sweeps } = descendByFlips(state, problem.n, maxSweeps);
  const w = Int8Array.from(state.w);
  return { w, value: problem.loss(w), flips, sweeps };
}

/**
 * First-improvement sweeps over variables 0..n-1 of any FlipState, in place. An improvement must
 * exceed a relative 1e-12 so that floating-point noise in the incremental deltas can never make
 * it cycle.
 */
export function descendByFlips(state: FlipState, n: number, maxSweeps = Infinity): { flips: number; sweeps: number } {
  let flips = 0;
  let sweeps = 0;
  let improved = true;
  while (improved && sweeps < maxSweeps) {
    improved = false;
    sweeps++;
    for (let i = 0; i < n; i++) {
      const tol = 1e-12 * Math.max(1, Math.abs(state.value));
      if (state.delta(i) < -tol) {
        state.flip(i);
        flips++;
        improved = true;
      }
    }
  }
  return { flips, sweeps };
}
