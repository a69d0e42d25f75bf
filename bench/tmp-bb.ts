import { loadProblem } from '../problems/index.js';
import { findSolver } from '../solvers/index.js';
import { runSolver } from '../src/core/solver.js';
const specs = process.argv.slice(2);
for (const spec of specs) {
  const p = loadProblem(spec);
  const params: Record<string, string> = {};
  for (const kv of (process.env.BBP ?? '').split(';').filter(Boolean)) { const [k, v] = kv.split('='); params[k!] = v!; }
  const r = await runSolver(findSolver('bb'), p, { seed: 1, params, maxTimeMs: Number(process.env.BBT ?? 120000) });
  const { nodeLog, ...info } = r.info as any;
  let ex = '';
  if (p.n <= 26 && process.env.EXACT) { const e = await runSolver(findSolver('exact'), p, { seed: 1 }); ex = ` exact ${e.loss} (${e.timeMs.toFixed(0)}ms)`; }
  console.log(spec, r.loss, r.bound, r.proven, r.timeMs.toFixed(0) + 'ms', JSON.stringify(info), ex);
}
