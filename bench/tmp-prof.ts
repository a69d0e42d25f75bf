import { loadProblem } from '../problems/index.js';
import { findSolver } from '../solvers/index.js';
import { runSolver } from '../src/core/solver.js';
const p = loadProblem(process.argv[2]!);
const params: Record<string, string> = {};
for (const kv of (process.env.BBP ?? '').split(';').filter(Boolean)) { const [k, v] = kv.split('='); params[k!] = v!; }
const r = await runSolver(findSolver('bb'), p, { seed: 1, params });
const log = (r.info as any).nodeLog as any[];
const sdp = log.filter((x) => x.how === 'sdp');
const its = sdp.map((x) => x.sdpIterations).sort((a, b) => a - b);
console.log('nodes', log.length, 'ms', r.timeMs.toFixed(0), 'iters median', its[its.length >> 1], 'mean', (its.reduce((a, b) => a + b, 0) / its.length).toFixed(1), 'max', its[its.length - 1], 'ms/node', (sdp.reduce((a, x) => a + x.ms, 0) / sdp.length).toFixed(2));
const sum = (f: (x: any) => number) => (sdp.reduce((a, x) => a + f(x), 0) / sdp.length).toFixed(3);
console.log('solve', sum((x) => x.s), 'cert', sum((x) => x.c), 'round', sum((x) => x.r), 'checks', sum((x) => x.ch), 'total', sum((x) => x.ms));
const reasons: Record<string, number> = {}; for (const x of sdp) reasons[x.st] = (reasons[x.st] ?? 0) + 1; console.log(reasons);
