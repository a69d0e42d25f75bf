import { loadProblem } from '../problems/index.js';
import { findSolver } from '../solvers/index.js';
import { runSolver } from '../src/core/solver.js';
for (const [f, seed] of [['G1',1],['G14',1]] as const) {
  const p = loadProblem(`/work/shared/data/gset/${f}.txt`);
  const r = await runSolver(findSolver('tabu'), p, { seed, maxTimeMs: 10000, maxIter: 1e9 });
  console.log(f, -r.loss, r.iterations, r.timeMs.toFixed(0), JSON.stringify(r.info));
}
