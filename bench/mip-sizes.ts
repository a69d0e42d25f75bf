/**
 * Which sizes the `mip` solver (HiGHS) proves, and how fast: teacher perceptrons (hinge, 0-1 on
 * ±1 and Gaussian data) and tiny sign networks with random labels, each under a time limit.
 * Run: npx tsx bench/mip-sizes.ts [limitSeconds]    (default 60)
 */
import { loadavg } from 'node:os';
import { loadProblem } from '../problems/index.js';
import { MlpProblem } from '../problems/mlp.js';
import { makeDataset } from '../src/datasets/dataset.js';
import { Rng } from '../src/numerics/rng.js';
import { findSolver } from '../solvers/index.js';
import { runSolver } from '../src/core/solver.js';
import type { Problem } from '../src/core/problem.js';
import { formatTable } from '../src/report/table.js';

const limit = Number(process.argv[2] ?? 60);
const mip = findSolver('mip');

/** A sign network on random ±1 inputs with random labels (so the optimum is rarely 0). */
function randomNetwork(arch: number[], rows: number, seed: number): MlpProblem {
  const rng = new Rng(seed, 'mip-sizes');
  const make = (count: number) =>
    makeDataset('random', arch[0]!, Float64Array.from({ length: count * arch[0]! }, () => rng.sign()), Int32Array.from({ length: count }, () => (rng.float() < 0.5 ? 0 : 1)));
  return new MlpProblem(`random-net:arch=${arch.join('-')},rows=${rows},seed=${seed}`, arch, { train: make(rows), test: make(1), classes: 2, inputThreshold: 0, description: 'random' });
}

const problems: Problem[] = [];
for (const n of [16, 24, 32, 48]) problems.push(loadProblem(`teacher:n=${n},m=${4 * n},noise=0.1,loss=hinge,data=gauss,seed=1`));
for (const n of [16, 24, 32]) problems.push(loadProblem(`teacher:n=${n},m=${2 * n},noise=0.1,loss=01,data=pm1,seed=1`));
for (const n of [12, 16, 18]) problems.push(loadProblem(`teacher:n=${n},m=${2 * n},noise=0.1,loss=01,data=gauss,seed=1`));
for (const [arch, rows] of [[[4, 3, 1], 10], [[8, 4, 1], 20], [[16, 8, 1], 40]] as const) problems.push(randomNetwork([...arch], rows, 1));

const table = [];
for (const problem of problems) {
  const r = await runSolver(mip, problem, { seed: 1, maxTimeMs: limit * 1000 });
  const info = r.info as { status: string; nodes: number };
  const bound = r.bound ?? (r.info as { trainErrorBound?: number }).trainErrorBound;
  const value = r.bound !== undefined ? r.loss : r.trainError;
  table.push([problem.spec.replace(/,test=\d+/, ''), problem.n, value, bound, info.status, info.nodes, (r.timeMs / 1000).toFixed(1)]);
  console.error(table[table.length - 1]!.join('  '));
}
console.log(formatTable(['instance', 'n', 'loss / train err', 'bound', 'HiGHS status', 'nodes', 'time s'], table));
console.log(`limit ${limit} s per instance; load average at the end ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);
