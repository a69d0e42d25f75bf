/**
 * Two benchmarks of proven optima:
 *   npx tsx bench/exact.ts [maxN]
 *     time of `exact` (Gray-code enumeration) on seeded instances of each kind (default sizes
 *     20, 24, and 28 for quadratic forms);
 *   npx tsx bench/exact.ts suite [--bb-s S] [--highs-s S] [--only REGEX] [--solvers bb,highs] [--bb-params k=v,...] [--out FILE] [--resume]
 *     the instances of `bnnrelax bench exact` (bb and HiGHS side by side) with other budgets
 *     than the suite's 10 minutes each, or a subset of them;
 *   npx tsx bench/exact.ts bbroot [--only REGEX] [--rounds 10,30] [--multipliers bundle,subgradient]
 *     the root bound of `bb` after R triangle rounds with each way of choosing the multipliers
 *     (one node, nodes=1), with SDP solves and CPU time: the bundle against subgradient steps;
 *   npx tsx bench/exact.ts tabu [--s S | --flips F] [--seeds 1,2,3] [--graphs G1,G14] [--params k=v,...] [--data DIR]
 *     `tabu` on the G-set graphs of DIR/gset (default ../shared/data: G1, G11, G14; G22 and
 *     G43 where present) for S seconds (default 10) or F flips each: cut, best-known cut, flips,
 *     the flip at which the best cut was found, wall and CPU time.
 */
import { loadProblem } from '../problems/index.js';
import { findSolver } from '../solvers/index.js';
import { runSolver } from '../src/core/solver.js';
import { formatTable } from '../src/report/table.js';
import { loadavg } from 'node:os';

import { exactSpecs, runExactSuite } from '../src/experiments/exact-suite.js';
import { processIo } from '../src/core/io.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { referenceDataDir } from '../src/formats/data-dir.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (process.argv[2] === 'suite') {
  const only = arg('only');
  const specs = exactSpecs({}).filter((s) => !only || new RegExp(only).test(s));
  const out = arg('out');
  console.log(`bench exact (script): node ${process.version}, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}, ${specs.length} instances`);
  const solvers = arg('solvers')?.split(',');
  const bbParams = arg('bb-params') ? Object.fromEntries(arg('bb-params')!.split(',').map((kv) => kv.split('=') as [string, string])) : undefined;
  const cpu0 = process.cpuUsage();
  await runExactSuite({ seed: 1, ...(out ? { out } : {}), ...(solvers ? { solvers } : {}), resume: process.argv.includes('--resume') }, processIo, { bbMs: Number(arg('bb-s') ?? 600) * 1000, highsS: Number(arg('highs-s') ?? 600), ...(bbParams ? { bbParams } : {}) }, specs);
  const cpu = process.cpuUsage(cpu0);
  console.log(`CPU time of the whole run (user + sys) ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s`);
  console.log(`load average at the end ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  process.exit(0);
}

if (process.argv[2] === 'bbroot') {
  const only = arg('only') ?? '^(maxcut:n=80,density=0.5,weights=one,seed=1|bqp:n=100,density=0.1,seed=1)$';
  const specs = exactSpecs({}).filter((s) => new RegExp(only).test(s));
  const rounds = (arg('rounds') ?? '10,30').split(',').map(Number);
  const methods = (arg('multipliers') ?? 'bundle,subgradient').split(',');
  console.log(`bb root bounds: node ${process.version}, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  const rows = [];
  for (const spec of specs) {
    const problem = loadProblem(spec);
    for (const r of rounds) {
      for (const m of methods) {
        const cpu0 = process.cpuUsage();
        const res = await runSolver(findSolver('bb'), problem, { seed: 1, params: { nodes: 1, rootcuts: r, multipliers: m } });
        const cpu = process.cpuUsage(cpu0);
        const info = res.info as { rootBound: number; sdpSolves: number };
        rows.push([spec, r, m, info.rootBound.toFixed(3), res.loss.toFixed(3), info.sdpSolves, (res.timeMs / 1000).toFixed(1), ((cpu.user + cpu.system) / 1e6).toFixed(1)]);
      }
    }
  }
  console.log(formatTable(['problem', 'root rounds', 'multipliers', 'root bound', 'incumbent', 'sdp solves', 'wall s', 'cpu s'], rows));
  console.log(`load average at the end ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  process.exit(0);
}

if (process.argv[2] === 'tabu') {
  // best-known cuts (Benlic & Hao 2013, as ../shared/data/README.md lists them)
  // best-known cuts (Benlic & Hao 2013; G43 also Ma & Hao 2017)
  const bestKnown: Record<string, number> = { G1: 11624, G11: 564, G14: 3064, G22: 13359, G43: 6660 };
  const flips = arg('flips') !== undefined ? Number(arg('flips')) : undefined;
  const secs = Number(arg('s') ?? 10);
  const seeds = (arg('seeds') ?? '1').split(',').map(Number);
  const graphs = arg('graphs')?.split(',') ?? Object.keys(bestKnown);
  const params = arg('params') ? Object.fromEntries(arg('params')!.split(',').map((kv) => kv.split('=') as [string, string])) : {};
  const dataDir = referenceDataDir(arg('data'));
  const rows = [];
  const budget = flips !== undefined ? `${flips} flips` : `${secs} s`;
  console.log(`tabu on G-set, ${budget} each, params ${JSON.stringify(params)}, node ${process.version}, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  for (const name of graphs) {
    const path = join(dataDir, 'gset', `${name}.txt`);
    if (!existsSync(path)) {
      console.log(`${name}: not in ${dataDir}/gset, skipped`);
      continue;
    }
    const problem = loadProblem(path);
    for (const seed of seeds) {
      const cpu0 = process.cpuUsage();
      const budgetOptions = flips !== undefined ? { maxIter: flips } : { maxTimeMs: secs * 1000, maxIter: 1e12 };
      const r = await runSolver(findSolver('tabu'), problem, { seed, ...budgetOptions, params });
      const cpu = process.cpuUsage(cpu0);
      const best = bestKnown[name];
      const below = best !== undefined ? `${((100 * (best - (r.objective ?? NaN))) / best).toFixed(2)}%` : '';
      rows.push([name, seed, r.objective, best ?? '', below, r.iterations, String(r.info?.bestStep ?? ''), (r.timeMs / 1000).toFixed(1), ((cpu.user + cpu.system) / 1e6).toFixed(1)]);
      console.log(rows[rows.length - 1]!.join(' '));
    }
  }
  console.log(formatTable(['graph', 'seed', 'cut', 'best known', 'below', 'flips', 'best at flip', 'wall s', 'cpu s'], rows));
  console.log(`load average at the end ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  process.exit(0);
}

const maxN = Number(process.argv[2] ?? 28);
const specs = [
  'bqp:n=20,density=0.5,seed=1',
  'lsq:n=20,m=40,noise=0.5,seed=1',
  'teacher:n=20,m=100,noise=0.1,loss=squared,seed=1',
  'teacher:n=20,m=100,noise=0.1,loss=hinge,seed=1',
  'teacher:n=20,m=100,noise=0.1,loss=logistic,seed=1',
  'teacher:n=20,m=100,noise=0.1,loss=01,data=pm1,seed=1',
  'bqp:n=24,density=0.5,seed=1',
  'lsq:n=24,m=48,noise=0.5,seed=1',
  'teacher:n=24,m=100,noise=0.1,loss=hinge,seed=1',
  'bqp:n=28,density=0.5,seed=1',
].filter((s) => Number(/n=(\d+)/.exec(s)![1]) <= maxN);

const rows = [];
for (const spec of specs) {
  const problem = loadProblem(spec);
  const r = await runSolver(findSolver('exact'), problem, { seed: 1 });
  rows.push([spec, problem.n, r.loss, r.timeMs.toFixed(0), ((2 ** problem.n / r.timeMs) * 1e3).toExponential(2)]);
}
console.log(`exact, node ${process.version}, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
console.log(formatTable(['problem', 'n', 'optimum', 'ms', 'vectors/s'], rows));
