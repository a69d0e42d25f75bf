/**
 * 1-flip local search: flip any single variable that lowers the loss, sweeping until none does.
 * The mechanism behind the `local` solver and the polish step of every solver (`--polish`).
 */
import type { Problem } from '../../src/core/problem.js';
import { flipStateFor } from '../../src/core/flip-state.js';
import type { Signs } from '../../src/core/signs.js';

export interface LocalSearchOutcome {
  w: Signs;
  value: number;
  flips: number;
  sweeps: number;
}

/**
 * First-improvement sweeps from `start`. An improvement must exceed a relative 1e-12 so that
 * floating-point noise in the incremental deltas can never make it cycle.
 */
export function localSearch(problem: Problem, start: Signs, maxSweeps = Infinity): LocalSearchOutcome {
  const state = flipStateFor(problem, start);
  let flips = 0;
  let sweeps = 0;
  let improved = true;
  while (improved && sweeps < maxSweeps) {
    improved = false;
    sweeps++;
    for (let i = 0; i < problem.n; i++) {
      const tol = 1e-12 * Math.max(1, Math.abs(state.value));
      if (state.delta(i) < -tol) {
        state.flip(i);
        flips++;
        improved = true;
      }
    }
  }
  const w = Int8Array.from(state.w);
  return { w, value: problem.loss(w), flips, sweeps };
}
