import { loadProblem } from '../problems/index.js';
import { findSolver } from '../solvers/index.js';
import { runSolver } from '../src/core/solver.js';
import { solveWithHighs } from '../src/experiments/highs-bqp.js';
for (const spec of ['bqp:n=12,density=0.5,seed=1', 'lsq:n=10,m=5,noise=1,seed=2', 'maxcut:n=12,seed=2']) {
  const p = loadProblem(spec);
  const e = await runSolver(findSolver('exact'), p, { seed: 1 });
  const h = await solveWithHighs(p.quadratic!, 30);
  console.log(spec, e.loss, JSON.stringify(h));
}
