import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProblem } from '../problems/index.js';
import { findSolver } from '../solvers/index.js';
import { runSolver } from '../src/core/solver.js';
import { tabuSearch } from '../solvers/tabu.js';
import { Rng } from '../src/numerics/rng.js';
import { signsFromString } from '../src/core/signs.js';
import { bruteForceMin, randomPm1, mulberry32 } from './helpers.js';

describe('tabu', () => {
  it('reaches the optimum proven by brute force on small instances of each kind', async () => {
    const specs: string[] = [];
    for (let s = 1; s <= 4; s++) {
      specs.push(`bqp:n=14,density=0.6,seed=${s}`, `lsq:n=12,m=6,noise=2,seed=${s}`, `maxcut:n=14,density=0.5,weights=pm1,seed=${s}`, `teacher:n=12,m=36,test=10,noise=0.2,loss=squared,seed=${s}`);
    }
    for (const spec of specs) {
      const problem = loadProblem(spec);
      const optimum = bruteForceMin(problem).value;
      const r = await runSolver(findSolver('tabu'), problem, { seed: 2, params: { iters: 5000 } });
      expect(r.loss, spec).toBeCloseTo(optimum, 9);
      expect(r.loss).toBe(problem.loss(signsFromString(r.weights)));
    }
  });

  it('returns the loss of its point recomputed from scratch, the same for the same seed', () => {
    const problem = loadProblem('bqp:n=40,density=0.3,seed=9');
    const start = randomPm1(40, mulberry32(1));
    const a = tabuSearch(problem.quadratic!, start, { iters: 3000, rng: new Rng(4, 't') });
    const b = tabuSearch(problem.quadratic!, start, { iters: 3000, rng: new Rng(4, 't') });
    expect(a.value).toBeCloseTo(problem.loss(a.w), 9);
    expect(Array.from(a.w)).toEqual(Array.from(b.w));
    expect(a.steps).toBe(3000);
    // never worse than where it started
    expect(a.value).toBeLessThanOrEqual(problem.loss(start) + 1e-9);
  });

  it('stops at the target loss', () => {
    const problem = loadProblem('bqp:n=30,density=0.5,seed=3');
    const start = randomPm1(30, mulberry32(2));
    const full = tabuSearch(problem.quadratic!, start, { iters: 20000, rng: new Rng(1) });
    const stopped = tabuSearch(problem.quadratic!, start, { iters: 20000, rng: new Rng(1), target: full.value + 1e-9 });
    expect(stopped.value).toBeLessThanOrEqual(full.value + 1e-9);
    expect(stopped.steps).toBeLessThan(20000);
  });
});

describe('tabu on sparse forms', () => {
  it('cuts every edge of a random bipartite graph (its known maximum cut)', async () => {
    const random = mulberry32(7);
    const n = 200; // 2|E| about 400 <= n^2/64 = 625: the tree path
    const side = Array.from({ length: n }, () => random() < 0.5);
    const edges: string[] = [];
    for (let i = 1; i <= n; i++) for (let j = i + 1; j <= n; j++) if (side[i - 1] !== side[j - 1] && random() < 0.02) edges.push(`${i} ${j} 1`);
    const path = join(mkdtempSync(join(tmpdir(), 'bnnrelax-tabu-')), 'bipartite.txt');
    writeFileSync(path, `${n} ${edges.length}\n${edges.join('\n')}\n`);
    const problem = loadProblem(path);
    // degree-2 graphs are plateaus for a 1-flip walk: breakout local search takes tens of
    // thousands of flips here; one plain tabu search of 50,000 flips does not get there (199 of
    // 206 edges), the memetic search's crossovers do within 2 M
    const bls = await runSolver(findSolver('tabu'), problem, { seed: 1, params: { method: 'bls', iters: 200000 } });
    expect(bls.objective).toBe(edges.length);
    const memetic = await runSolver(findSolver('tabu'), problem, { seed: 1, params: { iters: 2_000_000 } });
    expect(memetic.objective).toBe(edges.length);
  });
});

describe('tabu: the two move queues (integer deltas in buckets, real ones in a tree)', () => {
  it('same seed, same cut and point on an integer-weighted graph (buckets), and the loss recomputed', async () => {
    const problem = loadProblem('maxcut:n=120,density=0.1,weights=pm1,seed=5');
    const a = await runSolver(findSolver('tabu'), problem, { seed: 3, params: { iters: 40000 } });
    const b = await runSolver(findSolver('tabu'), problem, { seed: 3, params: { iters: 40000 } });
    const c = await runSolver(findSolver('tabu'), problem, { seed: 4, params: { iters: 40000 } });
    expect(a.weights).toBe(b.weights);
    expect(a.loss).toBe(problem.loss(signsFromString(a.weights)));
    // another seed walks elsewhere (the cut may coincide, the walk does not)
    expect(c.info).not.toEqual(a.info);
  });

  it('scaling the couplings by a non-lattice factor (the tree) finds the same optimum as integers (buckets)', () => {
    const problem = loadProblem('maxcut:n=18,density=0.5,weights=pm1,seed=2');
    const form = problem.quadratic!;
    const scaled = { ...form, Q: form.Q.map((q) => q * Math.PI), b: form.b.map((x) => x * Math.PI), c: form.c * Math.PI };
    const optimum = bruteForceMin(problem).value;
    const start = randomPm1(18, mulberry32(3));
    const onLattice = tabuSearch(form, start, { iters: 5000, rng: new Rng(1) });
    const offLattice = tabuSearch(scaled, start, { iters: 5000, rng: new Rng(1) });
    expect(onLattice.value).toBeCloseTo(optimum, 9);
    expect(offLattice.value).toBeCloseTo(optimum * Math.PI, 9);
  });
});
