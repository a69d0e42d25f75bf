/**
 * 1-flip local search: flip any single variable that lowers the loss, sweeping until none does.
 * Usable alone (`local`, from random starts) and as the polish step of every solver (`--polish`).
 */
import type { Problem } from '../src/problem.js';
import { resolveParams, type Solver, type SolveOptions } from '../src/solver.js';
import { flipStateFor } from '../src/flip-state.js';
import { randomSigns, type Signs } from '../src/signs.js';
import { Rng } from '../src/rng.js';
import { finishResult } from './finish.js';

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

export const localSolver: Solver = {
  name: 'local',
  summary: '1-flip local search from the best of several random starts',
  params: [{ name: 'restarts', type: 'int', default: 10, min: 1, help: 'number of random starting points' }],
  supports: () => true,
  solve(problem: Problem, options: SolveOptions) {
    const start = performance.now();
    const restarts = resolveParams(localSolver, options.params).restarts as number;
    const rng = new Rng(options.seed, 'local');
    let best: LocalSearchOutcome | undefined;
    const history = [];
    let sweeps = 0;
    for (let r = 0; r < restarts; r++) {
      const outcome = localSearch(problem, randomSigns(problem.n, rng));
      sweeps += outcome.sweeps;
      if (!best || outcome.value < best.value) best = outcome;
      history.push({ iteration: r + 1, loss: best.value });
      if (options.maxTimeMs !== undefined && performance.now() - start > options.maxTimeMs) break;
    }
    return finishResult(problem, 'local', options, best!.w, { start, iterations: sweeps, history, info: { restarts } });
  },
};
