import { loadProblem } from '../problems/index.js';
import { tabuSearch } from '../solvers/tabu.js';
import { Rng } from '../src/numerics/rng.js';
const f = process.argv[2] ?? 'G1';
const p = loadProblem(`../shared/data/gset/${f}.txt`);
for (const [tenure, stall] of [[40,0],[80,0],[120,0],[80,4000]]) {
  const rng = new Rng(1, 'x');
  const w0 = new Int8Array(p.n); for (let i = 0; i < p.n; i++) w0[i] = rng.sign();
  const t = performance.now();
  const o = tabuSearch(p.quadratic!, w0, { iters: 1e9, rng, tenure, stall, deadline: t + 4000 });
  console.log(f, tenure, stall, -o.value, o.steps, o.bestStep, o.perturbations, (performance.now()-t).toFixed(0));
}
