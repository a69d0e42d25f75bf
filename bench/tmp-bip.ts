import { writeFileSync } from 'node:fs';
import { loadProblem } from '../problems/index.js';
import { tabuSearch } from '../solvers/tabu.js';
import { Rng } from '../src/numerics/rng.js';
let a = 7; const random = () => { a = (a * 1103515245 + 12345) % 2147483648; return a / 2147483648; };
const n = 200; const side = Array.from({ length: n }, () => random() < 0.5); const edges: string[] = [];
for (let i = 1; i <= n; i++) for (let j = i + 1; j <= n; j++) if (side[i - 1] !== side[j - 1] && random() < 0.02) edges.push(`${i} ${j} 1`);
writeFileSync('/tmp/bip.txt', `${n} ${edges.length}\n${edges.join('\n')}\n`);
const p = loadProblem('/tmp/bip.txt');
for (const iters of [1000, 5000, 20000, 100000]) {
  const w0 = new Int8Array(n).fill(1);
  const o = tabuSearch(p.quadratic!, w0, { iters, rng: new Rng(1) });
  console.log(edges.length, iters, -o.value, -p.loss(o.w), o.bestStep, o.perturbations);
}
