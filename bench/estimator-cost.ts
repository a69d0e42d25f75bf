/**
 * CPU cost of each gradient estimator per point-sample on the study's reference network
 * ([2,5,5,5], the 200-point two-class set, seed 1):
 *   npx tsx bench/estimator-cost.ts [draws] [estimator,...]
 * Each estimator draws `draws` (default 1000) single-sample estimates of all 200 points, after
 * 100 warm-up draws, in one process and one thread, through estimateDraws as the study does; µs
 * of CPU per point-sample are printed with the load average. The
 * ratios between estimators are what carries over between machines.
 */
import { loadavg } from 'node:os';
import { StochasticBinaryNetwork } from '../problems/sbn.js';
import { twoClass2d } from '../problems/two-class-2d.js';
import { Rng } from '../src/numerics/rng.js';
import { createEstimator, STUDY_ESTIMATORS } from '../solvers/estimators/index.js';

const draws = Number(process.argv[2] ?? 1000);
const names = process.argv[3]?.split(',') ?? [...STUDY_ESTIMATORS, 'arm-fresh'];
const rng = new Rng(1, 'estimators');
const data = twoClass2d(100, rng.fork('data'));
const net = new StochasticBinaryNetwork([2, 5, 5, 5], data, rng.fork('init'));
const g = new Float64Array(net.paramCount);
console.log(`estimator cost: node ${process.version}, ${draws} draws x ${net.cases} points, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
let total = 0;
for (const name of names) {
  const e = name === 'arm-fresh' ? createEstimator('arm', undefined, { arm: 'fresh' }) : createEstimator(name);
  const session = e.start(net);
  const r = new Rng(1, `bench/${name}`);
  session.estimateDraws(100, r, g, () => {});
  const t0 = process.cpuUsage();
  session.estimateDraws(draws, r, g, () => {}); // as the study draws them
  const t = process.cpuUsage(t0);
  const us = (t.user + t.system) / (draws * net.cases);
  if (e.stochastic && STUDY_ESTIMATORS.includes(name)) total += us;
  console.log(`${name.padEnd(20)} ${us.toFixed(3)} µs${e.stochastic ? '' : ' (deterministic: once per study)'}`);
}
console.log(`sum over the default study's sampled estimators: ${total.toFixed(3)} µs per point-sample (x 200 points x 14,700 draws = its sampling CPU)`);
console.log(`load average after: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
