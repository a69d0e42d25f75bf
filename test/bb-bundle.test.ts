import { describe, expect, it } from 'vitest';
import { loadProblem } from '../problems/index.js';
import { findSolver } from '../solvers/index.js';
import { runSolver } from '../src/core/solver.js';
import { TriangleCuts, gram } from '../solvers/bb/triangles.js';
import { TriangleBundle, projectSimplex } from '../solvers/bb/bundle.js';
import { branchAndBound } from '../solvers/bb/branch-and-bound.js';
import { localSearch } from '../solvers/common/local-search.js';
import { bruteForceMin, mulberry32 } from './helpers.js';

/** A random elliptope point: the Gram matrix of N random unit vectors in R^r. */
function randomGram(N: number, r: number, random: () => number): Float64Array {
  const V = new Float64Array(N * r);
  for (let i = 0; i < N; i++) {
    let s = 0;
    for (let c = 0; c < r; c++) s += (V[i * r + c] = random() * 2 - 1) ** 2;
    for (let c = 0; c < r; c++) V[i * r + c]! /= Math.sqrt(s);
  }
  return gram(V, N, r);
}

/** The proximal objective, written plainly: min_j (<C, X_j> - sum_t y_t (A_t . X_j + 1)) - u/2 |y - yc|^2. */
function proximalObjective(C: Float64Array, Xs: Float64Array[], cuts: TriangleCuts, yc: number[], u: number, y: ArrayLike<number>): number {
  let m = Infinity;
  for (const X of Xs) {
    let v = 0;
    for (let e = 0; e < C.length; e++) v += C[e]! * X[e]!;
    for (let t = 0; t < cuts.size; t++) v -= y[t]! * (cuts.value(t, X) + 1);
    m = Math.min(m, v);
  }
  let d = 0;
  for (let t = 0; t < cuts.size; t++) d += (y[t]! - yc[t]!) ** 2;
  return m - (u / 2) * d;
}

describe('bb bundle method for the triangle multipliers', () => {
  it('projectSimplex: the result is in the simplex and (v - p).(w - p) <= 0 for every simplex point w', () => {
    const random = mulberry32(3);
    for (let trial = 0; trial < 50; trial++) {
      const n = 1 + (trial % 7);
      const v = Float64Array.from({ length: n }, () => 4 * random() - 2);
      const p = projectSimplex(v);
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      for (const x of p) expect(x).toBeGreaterThanOrEqual(0);
      for (let k = 0; k < 20; k++) {
        const w = Float64Array.from({ length: n }, () => random());
        const s = w.reduce((a, b) => a + b, 0);
        let dot = 0;
        for (let i = 0; i < n; i++) dot += (v[i]! - p[i]!) * (w[i]! / s - p[i]!);
        expect(dot).toBeLessThanOrEqual(1e-12);
      }
    }
  });

  it('the proximal step maximises the model: no nearby y >= 0 does better, and the dual over two points agrees', () => {
    const random = mulberry32(8);
    for (let trial = 0; trial < 6; trial++) {
      const N = 8;
      const C = new Float64Array(N * N);
      for (let i = 0; i < N; i++) for (let j = i; j < N; j++) C[i * N + j] = C[j * N + i] = random() * 2 - 1;
      const cuts = new TriangleCuts(N);
      const Xs = [randomGram(N, 2, random), randomGram(N, 3, random)];
      cuts.separate(Xs[0]!, 15);
      cuts.separate(Xs[1]!, 15);
      expect(cuts.size).toBeGreaterThan(3);
      // a centre with some positive multipliers
      for (let t = 0; t < cuts.size; t++) cuts.y[t] = random() < 0.5 ? random() : 0;
      const yc = [...cuts.y];
      const u = 0.5 + 2 * random();
      const bundle = new TriangleBundle(cuts, C, u, -Infinity);
      for (const X of Xs) bundle.add(X);
      const step = bundle.trial(1, 20_000);
      const best = proximalObjective(C, Xs, cuts, yc, u, step.y);
      // concave objective over y >= 0: a local maximum is the maximum; probe around it
      for (let k = 0; k < 300; k++) {
        const scale = 10 ** -(1 + (k % 4));
        const y = Array.from(step.y, (v) => Math.max(0, v + scale * (random() * 2 - 1)));
        expect(proximalObjective(C, Xs, cuts, yc, u, y)).toBeLessThanOrEqual(best + 1e-7);
      }
      // strong duality with the two-point dual: min over lambda in [0, 1] of
      // max_{y>=0} lambda l_1(y) + (1 - lambda) l_2(y) - u/2 |y - yc|^2, the max in closed form
      const c = Xs.map((X) => X.reduce((s, x, e) => s + x * C[e]!, 0));
      const g = Xs.map((X) => Array.from({ length: cuts.size }, (_, t) => cuts.value(t, X) + 1));
      let dual = Infinity;
      for (let s = 0; s <= 20_000; s++) {
        const l = s / 20_000;
        const y = yc.map((v, t) => Math.max(0, v - (l * g[0]![t]! + (1 - l) * g[1]![t]!) / u));
        let phi = l * c[0]! + (1 - l) * c[1]!;
        for (let t = 0; t < cuts.size; t++) phi -= y[t]! * (l * g[0]![t]! + (1 - l) * g[1]![t]!) + (u / 2) * (y[t]! - yc[t]!) ** 2;
        dual = Math.min(dual, phi);
      }
      expect(best).toBeLessThanOrEqual(dual + 1e-9);
      expect(best).toBeGreaterThan(dual - 1e-5 * Math.max(1, Math.abs(dual)));
      // the model value returned is min_j l_j(y+)
      expect(step.model).toBeCloseTo(best + (u / 2) * step.y.reduce((s, v, t) => s + (v - yc[t]!) ** 2, 0), 9);
    }
  });

  it('the node bound after the same number of SDP solves: bundle at least the subgradient one, both below the optimum', () => {
    // the root of small MaxCut and sparse BQP instances, 8 triangle rounds each way
    let better = 0;
    for (let s = 1; s <= 4; s++) {
      for (const spec of [`maxcut:n=18,density=0.5,weights=one,seed=${s}`, `bqp:n=18,density=0.3,seed=${s}`]) {
        const problem = loadProblem(spec);
        const optimum = bruteForceMin(problem).value;
        const root = (multipliers: 'bundle' | 'subgradient') =>
          branchAndBound(problem.quadratic!, { seed: 1, loss: (w) => problem.loss(w), polish: (w) => localSearch(problem, w).w, maxNodes: 1, sdpTol: 1e-6, enumerateAt: 0, rounds: 1, branch: 'fractional', cutRounds: 1, rootCutRounds: 8, cutsPerRound: 60, tabuIters: 0, multipliers });
        const b = root('bundle');
        const g = root('subgradient');
        // at most the initial solve and one per round; a root whose cuts run out, or that the
        // incumbent prunes, stops earlier (either method may)
        expect(b.sdpSolves).toBeLessThanOrEqual(1 + 8);
        expect(g.sdpSolves).toBeLessThanOrEqual(1 + 8);
        const tol = 1e-9 * Math.max(1, Math.abs(optimum));
        expect(b.rootBound, spec).toBeLessThanOrEqual(optimum + tol);
        expect(g.rootBound, spec).toBeLessThanOrEqual(optimum + tol);
        // a root the cuts prune early is solved by fewer rounds: compare only full runs
        if (b.sdpSolves === g.sdpSolves) {
          expect(b.rootBound, spec).toBeGreaterThanOrEqual(g.rootBound - 1e-3 * Math.max(1, Math.abs(optimum)));
          if (b.rootBound > g.rootBound + 1e-6) better++;
        }
      }
    }
    expect(better).toBeGreaterThan(2);
  });

  it('bb with the bundle at every node (with and without the hopeless-node stop) agrees with exact and its bound is never above the optimum', async () => {
    let rounds = 0;
    for (let s = 1; s <= 5; s++) {
      for (const spec of [`maxcut:n=${15 + (s % 4)},density=0.5,weights=one,seed=${s + 10}`, `bqp:n=${14 + (s % 5)},density=0.2,seed=${s + 10}`, `maxcut:n=16,density=0.4,weights=pm1,seed=${s}`]) {
        const problem = loadProblem(spec);
        const exact = await runSolver(findSolver('exact'), problem, { seed: 1 });
        const r = await runSolver(findSolver('bb'), problem, { seed: 2, params: { cuts: 3, rootcuts: 6, enumerate: 2, tabu: 0, multipliers: 'bundle', hopeless: s % 2 === 1 } });
        expect(r.proven, spec).toBe(true);
        expect(r.loss).toBeCloseTo(exact.loss, 9);
        const log = (r.info as { nodeLog: { bound: number; how: string; depth: number }[] }).nodeLog;
        // the root's bound holds for the whole tree
        expect(log[0]!.bound, spec).toBeLessThanOrEqual(exact.loss + 1e-9 * Math.max(1, Math.abs(exact.loss)));
        rounds += (r.info as { cutRounds: number }).cutRounds;
      }
    }
    expect(rounds).toBeGreaterThan(20);
  });
});

