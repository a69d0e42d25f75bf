/**
 * The `local` solver: 1-flip local search (solvers/common/local-search.ts) from the best of
 * several random starts.
 */
import { defineSolver } from '../src/core/solver.js';
import { randomSigns } from '../src/core/signs.js';
import { Rng } from '../src/numerics/rng.js';
import { finishResult } from './common/finish.js';
import { localSearch } from './common/local-search.js';
import { RunLoop } from './common/run-loop.js';

export const localSolver = defineSolver({
  name: 'local',
  summary: '1-flip local search from the best of several random starts',
  params: [{ name: 'restarts', type: 'int', default: 10, min: 1, help: 'number of random starting points' }],
  run(problem, options, { restarts }) {
    const loop = new RunLoop(problem, options);
    const rng = new Rng(options.seed, 'local');
    let sweeps = 0;
    for (let r = 0; r < restarts; r++) {
      const outcome = localSearch(problem, randomSigns(problem.n, rng));
      sweeps += outcome.sweeps;
      loop.offer(outcome.w, outcome.value);
      loop.record(r + 1);
      if (loop.timeUp()) break;
    }
    return finishResult(problem, 'local', options, loop.best, { start: loop.start, iterations: sweeps, history: loop.history, info: { restarts } });
  },
});
