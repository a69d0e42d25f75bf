import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProblem } from '../problems/index.js';
import { findSolver } from '../solvers/index.js';
import { runSolver } from '../src/core/solver.js';
import { signsFromString } from '../src/core/signs.js';
import { bruteForceMin, mulberry32, relClose } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'bnnrelax-maxcut-'));

/** A random ±1-weighted graph in G-set format, and its edges for an independent cut count. */
function randomGraph(n: number, p: number, seed: number) {
  const rand = mulberry32(seed);
  const edges: [number, number, number][] = [];
  for (let i = 1; i <= n; i++) for (let j = i + 1; j <= n; j++) if (rand() < p) edges.push([i, j, rand() < 0.7 ? 1 : -1]);
  const path = join(dir, `g${seed}.txt`);
  writeFileSync(path, `${n} ${edges.length}\n${edges.map((e) => e.join(' ')).join('\n')}\n`);
  return { path, edges };
}

const cut = (edges: [number, number, number][], x: Int8Array) => edges.reduce((s, [i, j, w]) => s + (x[i - 1] !== x[j - 1] ? w : 0), 0);

describe('MaxCut files as problems', () => {
  it('the loss is minus the cut value, counted edge by edge', () => {
    const { path, edges } = randomGraph(15, 0.4, 1);
    const p = loadProblem(path);
    expect(p.kind).toBe('maxcut');
    const rand = mulberry32(2);
    for (let t = 0; t < 20; t++) {
      const x = Int8Array.from({ length: 15 }, () => (rand() < 0.5 ? -1 : 1));
      expect(relClose(p.loss(x), -cut(edges, x), 1e-12)).toBe(true);
    }
    expect(loadProblem(p.spec).loss(new Int8Array(15).fill(1))).toBe(0);
  });

  it.each([3, 4, 5])('exact finds the maximum cut, and bm bounds it from the right side (seed %i)', async (seed) => {
    const { path, edges } = randomGraph(13, 0.5, seed);
    const p = loadProblem(path);
    const truth = bruteForceMin(p);
    const ex = await runSolver(findSolver('exact'), p, { seed: 1 });
    expect(ex.loss).toBe(truth.value);
    expect(-ex.loss).toBe(cut(edges, signsFromString(ex.weights)));
    const bm = await runSolver(findSolver('bm'), p, { seed: 1 });
    // bound on the loss (= -cut) is a lower bound: -bound >= max cut
    expect(bm.bound!).toBeLessThanOrEqual(truth.value + 1e-9);
    expect(bm.loss).toBeGreaterThanOrEqual(truth.value);
  });

  it('SDPA max-cut files load the same graph', () => {
    // F0 = L/4 of a triangle with unit weights: cut of any non-constant x is 2
    const path = join(dir, 'tri.dat-s');
    const L4 = [[0.5, -0.25, -0.25], [-0.25, 0.5, -0.25], [-0.25, -0.25, 0.5]];
    const lines = ['3', '1', '3', '1 1 1'];
    for (let i = 0; i < 3; i++) for (let j = i; j < 3; j++) lines.push(`0 1 ${i + 1} ${j + 1} ${L4[i]![j]}`);
    for (let i = 1; i <= 3; i++) lines.push(`${i} 1 ${i} ${i} 1`);
    writeFileSync(path, lines.join('\n') + '\n');
    const p = loadProblem(path);
    expect(p.loss(Int8Array.from([1, 1, -1]))).toBeCloseTo(-2, 12);
    expect(p.loss(Int8Array.from([1, 1, 1]))).toBeCloseTo(0, 12);
  });
});
