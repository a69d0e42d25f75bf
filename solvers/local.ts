/**
 * The `local` solver: 1-flip local search (solvers/common/local-search.ts) from the best of
 * several random starts.
 */
import type { Problem } from '../src/core/problem.js';
import { resolveParams, type Solver, type SolveOptions } from '../src/core/solver.js';
import { randomSigns } from '../src/core/signs.js';
import { Rng } from '../src/numerics/rng.js';
import { finishResult } from './common/finish.js';
import { localSearch, type LocalSearchOutcome } from './common/local-search.js';

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
