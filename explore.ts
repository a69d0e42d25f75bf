import { Rng } from './src/numerics/rng.js';
import { StochasticBinaryNetwork } from './problems/sbn.js';
import { twoClass2d } from './problems/two-class-2d.js';
import { createEstimator } from './solvers/estimators/index.js';
function stats(net: StochasticBinaryNetwork, name: string, M: number, K: number, opts = {}) {
  const exact = new Float64Array(net.paramCount); net.exactGradient(exact);
  const s = createEstimator(name, undefined, opts).start(net); const rng = new Rng(7, name);
  const P = net.paramCount, sum = new Float64Array(P), sq = new Float64Array(P), g = new Float64Array(P);
  for (let k = 0; k < K; k++) { s.estimate(M, rng, g); for (let i = 0; i < P; i++) { sum[i] += g[i]; sq[i] += g[i] * g[i]; } }
  for (const b of net.blocks) {
    let zmax = 0, num = 0, den = 0;
    for (let i = b.offset; i < b.offset + b.size; i++) { const m = sum[i] / K; const se = Math.sqrt(Math.max(0, sq[i] / K - m * m) / K); zmax = Math.max(zmax, Math.abs(m - exact[i]) / se); num += (m - exact[i]) ** 2; den += exact[i] ** 2; }
    console.log(name, b.name, 'zmax', zmax.toFixed(2), 'relbias', Math.sqrt(num / den).toFixed(4));
  }
}
const data = twoClass2d(4, new Rng(3, 'data'));
for (const sizes of [[2, 3, 3], [2, 1, 1, 1], [2, 3, 2, 3]]) {
  const net = new StochasticBinaryNetwork(sizes, data, new Rng(5, 'init'));
  console.log(sizes);
  stats(net, 'psa', 20, 1000);
  stats(net, 'arm', 20, 1000, { arm: 'fresh' });
}
