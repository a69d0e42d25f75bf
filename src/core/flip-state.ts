/**
 * Single-flip evaluation for any problem: the problem's own fast FlipState when it has one,
 * otherwise one full loss evaluation per query (correct for every loss, O(cost) per call).
 */
import type { FlipState, Problem } from './problem.js';
import type { Signs } from './signs.js';

export function flipStateFor(problem: Problem, w: Signs): FlipState {
  return problem.flipState ? problem.flipState(w) : genericFlipState(problem, w);
}

export function genericFlipState(problem: Problem, start: Signs): FlipState {
  const w = Int8Array.from(start);
  let value = problem.loss(w);
  return {
    w,
    get value() {
      return value;
    },
    delta(i: number) {
      w[i] = -w[i]!;
      const v = problem.loss(w);
      w[i] = -w[i]!;
      return v - value;
    },
    flip(i: number) {
      w[i] = -w[i]!;
      value = problem.loss(w);
    },
    resync() {
      value = problem.loss(w);
    },
  };
}
