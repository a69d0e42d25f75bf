import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProblem } from '../problems/index.js';
import { findSolver } from '../solvers/index.js';
import { runSolver } from '../src/core/solver.js';
import type { QuadraticForm } from '../src/core/problem.js';
import { signsFromString } from '../src/core/signs.js';
import { Rng } from '../src/numerics/rng.js';
import { IntegerTabu } from '../solvers/tabu/integer-tabu.js';
import { crossover, distance, dropFromPool, memeticSearch, type Improver } from '../solvers/tabu/memetic.js';
import { deltaLattice, sparseRows } from '../solvers/tabu/sparse-form.js';
import { mulberry32, randomPm1 } from './helpers.js';

/** w'Qw + 2b'w + c, written out plainly. */
function plainLoss(form: QuadraticForm, w: ArrayLike<number>): number {
  let v = form.c;
  for (let i = 0; i < form.n; i++) {
    v += 2 * form.b[i]! * w[i]!;
    for (let j = 0; j < form.n; j++) v += form.Q[i * form.n + j]! * w[i]! * w[j]!;
  }
  return v;
}

/** The smallest loss over all 2^n points, by plain enumeration. */
function plainMin(form: QuadraticForm): number {
  let best = Infinity;
  const w = new Array<number>(form.n);
  for (let mask = 0; mask < 2 ** form.n; mask++) {
    for (let i = 0; i < form.n; i++) w[i] = (mask >> i) & 1 ? 1 : -1;
    best = Math.min(best, plainLoss(form, w));
  }
  return best;
}

/** A form with integer (or half-integer, `half`) couplings and linear terms. */
function integerForm(n: number, seed: number, half = false): QuadraticForm {
  const random = mulberry32(seed);
  const Q = new Float64Array(n * n);
  const b = new Float64Array(n);
  const draw = () => (Math.floor(random() * 7) - 3) / (half ? 2 : 1);
  for (let i = 0; i < n; i++) {
    b[i] = draw();
    Q[i * n + i] = draw();
    for (let j = i + 1; j < n; j++) if (random() < 0.5) Q[i * n + j] = Q[j * n + i] = draw();
  }
  return { n, Q, b, c: 1.5 };
}

/** A random graph with ±1 or positive integer weights as a rudy file, and its edge list. */
function graphFile(n: number, density: number, seed: number, weights: 'pm1' | 'int'): { path: string; edges: [number, number, number][] } {
  const random = mulberry32(seed);
  const edges: [number, number, number][] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (random() < density) edges.push([i, j, weights === 'pm1' ? (random() < 0.5 ? -1 : 1) : 1 + Math.floor(random() * 3)]);
    }
  }
  const path = join(mkdtempSync(join(tmpdir(), 'bnnrelax-memetic-')), 'graph.txt');
  writeFileSync(path, `${n} ${edges.length}\n${edges.map(([i, j, w]) => `${i + 1} ${j + 1} ${w}`).join('\n')}\n`);
  return { path, edges };
}

/** The cut of w from the edge list: the weight of the edges whose ends differ. */
function plainCut(edges: readonly [number, number, number][], w: ArrayLike<number>): number {
  let cut = 0;
  for (const [i, j, weight] of edges) if (w[i] !== w[j]) cut += weight;
  return cut;
}

describe('IntegerTabu (integer-delta tabu search)', () => {
  it('reaches the enumerated minimum of integer and half-integer forms, its loss exact against the plain formula', () => {
    for (let seed = 1; seed <= 6; seed++) {
      const form = integerForm(12, seed, seed % 2 === 0);
      const rows = sparseRows(form);
      const lattice = deltaLattice(form, rows);
      expect(lattice, `seed ${seed}`).toBeDefined();
      const engine = new IntegerTabu(form, rows, lattice!, 3, 4, new Rng(seed, 'engine'));
      const w = randomPm1(12, mulberry32(seed + 100));
      const best = new Int8Array(12);
      const r = engine.run(w, best, { flips: 3000, deadline: Infinity, target: -Infinity });
      expect(r.value).toBe(plainLoss(form, best));
      expect(r.value, `seed ${seed}`).toBe(plainMin(form));
      expect(r.steps).toBe(3000);
      expect(r.bestStep).toBeLessThanOrEqual(r.steps);
      // the end point is where the walk stands, its loss again by the plain formula
      expect(engine.loss(w)).toBe(plainLoss(form, w));
    }
  });

  it('never ends above its start, stops at the target, and repeats itself for the same seed', () => {
    const form = integerForm(40, 9);
    const rows = sparseRows(form);
    const lattice = deltaLattice(form, rows)!;
    const start = randomPm1(40, mulberry32(5));
    const runOnce = (target: number) => {
      const engine = new IntegerTabu(form, rows, lattice, 3, 8, new Rng(2, 'engine'));
      const best = new Int8Array(40);
      const r = engine.run(Int8Array.from(start), best, { flips: 5000, deadline: Infinity, target });
      return { r, best };
    };
    const a = runOnce(-Infinity);
    const b = runOnce(-Infinity);
    expect(Array.from(a.best)).toEqual(Array.from(b.best));
    expect(a.r.value).toBeLessThanOrEqual(plainLoss(form, start));
    const stopped = runOnce(a.r.value);
    expect(stopped.r.stopped).toBe(true);
    expect(stopped.r.steps).toBeLessThanOrEqual(a.r.bestStep);
    expect(stopped.r.value).toBe(a.r.value);
  });
});

describe('memetic search: crossover and pool update', () => {
  it('crossover keeps what the parents share (up to the sign of the second for a symmetric form)', () => {
    const random = mulberry32(3);
    const a = randomPm1(64, random);
    const b = Int8Array.from(a, (x, i) => (i % 5 === 0 ? -x : x) as number);
    const child = new Int8Array(64);
    crossover(a, b, false, new Rng(1), child);
    for (let i = 0; i < 64; i++) if (a[i] === b[i]) expect(child[i]).toBe(a[i]);
    // -b is the same cut as b: with symmetric, the child keeps the same variables
    const minusB = Int8Array.from(b, (x) => -x);
    const child2 = new Int8Array(64);
    crossover(a, minusB, true, new Rng(1), child2);
    for (let i = 0; i < 64; i++) if (a[i] === b[i]) expect(child2[i]).toBe(a[i]);
    expect(distance(a, minusB, true)).toBe(distance(a, b, false));
    expect(distance(a, minusB, false)).toBe(64 - distance(a, b, false));
  });

  it('drops a duplicate child, keeps a better distinct one in place of the worst-and-nearest member', () => {
    const p = [Int8Array.from([1, 1, 1, 1, 1, 1]), Int8Array.from([1, 1, 1, -1, -1, -1]), Int8Array.from([1, -1, 1, -1, 1, -1])];
    const values = [-10, -8, -9];
    // a copy of member 1 (as -w, symmetric) is dropped whatever its value
    expect(dropFromPool([...values, -20], [...p, Int8Array.from([-1, -1, -1, 1, 1, 1])], true, 0.6)).toBe(3);
    // a child better than all and as far from the others as they are from each other stays; the worst member goes
    const far = Int8Array.from([1, -1, -1, 1, -1, 1]);
    const drop = dropFromPool([...values, -20], [...p, far], true, 0.6);
    expect(drop).toBe(1);
    // a child worse than every member and near one of them is dropped
    expect(dropFromPool([...values, -1], [...p, Int8Array.from([1, 1, 1, 1, 1, -1])], true, 0.6)).toBe(3);
  });

  it('returns the best point of all its searches, never worse than any pool member, and counts the moves', () => {
    const form = integerForm(30, 4);
    const rows = sparseRows(form);
    const engine = new IntegerTabu(form, rows, deltaLattice(form, rows)!, 3, 5, new Rng(1, 'engine'));
    const seen: number[] = [];
    let moves = 0;
    const improve: Improver = (w, best, flips) => {
      const r = engine.run(w, best, { flips, deadline: Infinity, target: -Infinity });
      seen.push(r.value);
      moves += r.steps;
      return r;
    };
    const out = memeticSearch(30, improve, { pool: 4, depth: 500, flips: 10_000, symmetric: false }, new Rng(7, 'pool'));
    expect(out.steps).toBe(10_000);
    expect(moves).toBe(10_000);
    expect(out.generations).toBe(20 - 4);
    expect(out.value).toBe(Math.min(...seen));
    expect(out.value).toBe(plainLoss(form, out.w));
    for (const v of out.poolValues) expect(v).toBeGreaterThanOrEqual(out.value);
    expect(out.poolValues[0]).toBe(out.value);
  });
});

describe('tabu (memetic, the default)', () => {
  it('reaches the enumerated maximum cut of ±1 and integer-weighted graphs, the cut recomputed from the edge list', async () => {
    for (let seed = 1; seed <= 4; seed++) {
      for (const weights of ['pm1', 'int'] as const) {
        const { path, edges } = graphFile(16, 0.4, seed, weights);
        const problem = loadProblem(path);
        const form = problem.quadratic!;
        const r = await runSolver(findSolver('tabu'), problem, { seed, params: { iters: 20_000 } });
        const w = signsFromString(r.weights);
        expect(r.objective).toBe(plainCut(edges, w));
        expect(-r.loss, `${weights} seed ${seed}`).toBe(-plainMin(form));
        expect(r.info?.engine).toBe('integer');
      }
    }
  });

  it('same seed, same cut and point; the walk depends on the seed', async () => {
    const { path, edges } = graphFile(150, 0.05, 11, 'pm1');
    const problem = loadProblem(path);
    const run = (seed: number) => runSolver(findSolver('tabu'), problem, { seed, params: { iters: 200_000, depth: 20_000 } });
    const a = await run(3);
    const b = await run(3);
    const c = await run(4);
    expect(a.weights).toBe(b.weights);
    expect(a.info).toEqual(b.info);
    expect(a.objective).toBe(plainCut(edges, signsFromString(a.weights)));
    expect(c.info?.bestStep).not.toBe(a.info?.bestStep);
  });

  it('on real-valued forms (no lattice) uses breakout local search as the improver and reaches the enumerated optimum', async () => {
    for (let seed = 1; seed <= 3; seed++) {
      const problem = loadProblem(`bqp:n=14,density=0.6,seed=${seed}`);
      const r = await runSolver(findSolver('tabu'), problem, { seed, params: { iters: 20_000, depth: 2_000 } });
      expect(r.info?.engine).toBe('bls');
      expect(r.loss).toBeCloseTo(plainMin(problem.quadratic!), 9);
    }
  });

  it('stops on a wall-clock budget with a cut recomputed from the edge list', async () => {
    const { path, edges } = graphFile(300, 0.05, 2, 'int');
    const problem = loadProblem(path);
    const r = await runSolver(findSolver('tabu'), problem, { seed: 1, maxTimeMs: 200, maxIter: 1e12 });
    expect(r.timeMs).toBeLessThan(5000);
    expect(r.objective).toBe(plainCut(edges, signsFromString(r.weights)));
  });
});
