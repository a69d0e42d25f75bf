#!/usr/bin/env node
// Writes the small files in examples/ (committed; rerun to regenerate them byte for byte):
// a BQP JSON, a G-set graph, an SDPA max-cut file of the same graph and a labelled CSV data set.
// Everything comes from a fixed-seed generator here, so the files need nothing outside the repo.
import { mkdirSync, writeFileSync } from 'node:fs';

const dir = new URL('../examples/', import.meta.url);
mkdirSync(dir, { recursive: true });

// mulberry32: a tiny seeded generator, enough for example data
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const round = (x, d = 3) => Number(x.toFixed(d));

// bqp-10.json: min w'Qw + 2b'w + c over w in {-1,+1}^10, symmetric integer couplings in -3..3
{
  const r = rng(1);
  const n = 10;
  const Q = Array.from({ length: n }, () => new Array(n).fill(0));
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (r() < 0.6) Q[i][j] = Q[j][i] = Math.floor(r() * 7) - 3;
  const b = Array.from({ length: n }, () => Math.floor(r() * 5) - 2);
  writeFileSync(new URL('bqp-10.json', dir), JSON.stringify({ Q, b, c: 0 }) + '\n');
}

// graph-20: a random graph on 20 vertices, edge weights 1, in G-set (rudy) and SDPA form
{
  const r = rng(2);
  const n = 20;
  const edges = [];
  for (let i = 1; i <= n; i++) for (let j = i + 1; j <= n; j++) if (r() < 0.25) edges.push([i, j]);
  writeFileSync(new URL('graph-20.txt', dir), `${n} ${edges.length}\n` + edges.map(([i, j]) => `${i} ${j} 1`).join('\n') + '\n');
  // SDPA sparse, laid out as SDPLIB's mcp files: c_i = 1, F0 = L/4, F_i = e_i e_i'; read as
  // max tr(F0 X) s.t. X_ii = 1, the same MaxCut relaxation as the G-set file
  const deg = new Array(n + 1).fill(0);
  for (const [i, j] of edges) deg[i]++, deg[j]++;
  const lines = [`${n} =mdim`, '1 =nblocks', `${n}`, new Array(n).fill('1').join(' ')];
  for (let i = 1; i <= n; i++) lines.push(`0 1 ${i} ${i} ${deg[i] / 4}`);
  for (const [i, j] of edges) lines.push(`0 1 ${i} ${j} -0.25`);
  for (let i = 1; i <= n; i++) lines.push(`${i} 1 ${i} ${i} 1`);
  writeFileSync(new URL('graph-20.dat-s', dir), lines.join('\n') + '\n');
}

// blobs.csv: 300 rows, 8 features in [0, 1] and a label; class k raises features 4k..4k+3 (noisy),
// so the default input threshold 0.5 binarises them meaningfully
{
  const r = rng(3);
  const rows = ['f1,f2,f3,f4,f5,f6,f7,f8,label'];
  for (let s = 0; s < 300; s++) {
    const label = s % 2;
    const f = Array.from({ length: 8 }, (_, k) => {
      const on = Math.floor(k / 4) === label ? 0.65 : 0.35;
      return round(Math.min(1, Math.max(0, on + (r() - 0.5) * 0.7)));
    });
    rows.push([...f, label].join(','));
  }
  writeFileSync(new URL('blobs.csv', dir), rows.join('\n') + '\n');
}
