import { describe, expect, it } from 'vitest';
import { loadProblem } from '../problems/index.js';
import { findSolver } from '../solvers/index.js';
import { runSolver } from '../src/core/solver.js';
import { homogenise } from '../solvers/bm/reductions.js';
import { solveDiagSdp } from '../solvers/bm/solve-sdp.js';
import { symCsrToDense } from '../src/numerics/csr.js';
import { TriangleCuts, gram } from '../solvers/bb/triangles.js';
import type { QuadraticForm } from '../src/core/problem.js';
import { bruteForceMin, mulberry32, randomPm1 } from './helpers.js';

/** Proven bounds of the node's SDP with triangle multipliers after each of `rounds` subgradient steps. */
function triangleBounds(form: QuadraticForm, rounds: number, target: number): number[] {
  const h = homogenise(form);
  const N = form.n + 1;
  const Cd = symCsrToDense(h.C);
  const cuts = new TriangleCuts(N);
  const bounds: number[] = [];
  let V: Float64Array | undefined;
  let k = 0;
  for (let r = 0; r <= rounds; r++) {
    const cost = cuts.cost(Cd);
    const sol = solveDiagSdp(cost.C, 'min', { ...(V ? { initialV: V, rank: k } : {}), tol: 1e-7, seed: 1, rounds: 1, verify: 'cholesky' });
    V = sol.V;
    k = sol.rank;
    bounds.push(h.invertLowerBound(sol.bound - cost.shift) - cost.margin);
    cuts.step(gram(V, N, k), sol.objective - cost.shift, target - form.c, 1, 50);
  }
  return bounds;
}

describe('triangle inequalities (bb cutting planes)', () => {
  it('cost(): x C(y) x - sum y equals x C x - sum_t y_t (A_t . xx + 1), computed plainly', () => {
    const random = mulberry32(4);
    const N = 9;
    const C = new Float64Array(N * N);
    for (let i = 0; i < N; i++) for (let j = i; j < N; j++) C[i * N + j] = C[j * N + i] = random() * 2 - 1;
    // a working set from a random X with violated triangles: the Gram matrix of random unit vectors
    const V = new Float64Array(N * 3);
    for (let i = 0; i < N; i++) {
      let s = 0;
      for (let r = 0; r < 3; r++) s += (V[i * 3 + r] = random() * 2 - 1) ** 2;
      for (let r = 0; r < 3; r++) V[i * 3 + r]! /= Math.sqrt(s);
    }
    const cuts = new TriangleCuts(N);
    cuts.step(gram(V, N, 3), -10, 0, 1, 20);
    expect(cuts.size).toBeGreaterThan(0);
    const { C: Cy, shift } = cuts.cost(C);
    const dense = symCsrToDense(Cy);
    for (let trial = 0; trial < 20; trial++) {
      const x = randomPm1(N, random);
      let lhs = -shift;
      let plain = 0;
      for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) {
        lhs += dense[i * N + j]! * x[i]! * x[j]!;
        plain += C[i * N + j]! * x[i]! * x[j]!;
      }
      // sum over the set of y_t (s_ij x_i x_j + s_ik x_i x_k + s_jk x_j x_k + 1), signs by pattern
      const signs = [[1, 1, 1], [1, -1, -1], [-1, 1, -1], [-1, -1, 1]];
      for (let t = 0; t < cuts.size; t++) {
        const [a, b, c] = signs[cuts.p[t]!]!;
        const i = cuts.i[t]!, j = cuts.j[t]!, k = cuts.k[t]!;
        const at = a! * x[i]! * x[j]! + b! * x[i]! * x[k]! + c! * x[j]! * x[k]!;
        expect(at).toBeGreaterThanOrEqual(-1); // valid on every ±1 point
        plain -= cuts.y[t]! * (at + 1);
      }
      expect(lhs).toBeCloseTo(plain, 10);
    }
  });

  it('closes the SDP gap of MaxCut on a triangle (K3: SDP 9/4, cut 2) and never passes the optimum', () => {
    // K3 with unit weights, as a quadratic form: loss = -cut = sum_edges (x_i x_j - 1)/2
    const n = 3;
    const Q = new Float64Array(9);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) if (i !== j) Q[i * 3 + j] = 0.25;
    const form: QuadraticForm = { n, Q, b: new Float64Array(3), c: -1.5 };
    const bounds = triangleBounds(form, 15, -2);
    expect(bounds[0]!).toBeCloseTo(-2.25, 5);
    for (const b of bounds) expect(b).toBeLessThanOrEqual(-2 + 1e-9);
    expect(Math.max(...bounds)).toBeGreaterThan(-2.01);
  });

  it('every proven bound with multipliers is at or below the brute-force optimum (40 random forms)', () => {
    const specs: string[] = [];
    for (let s = 1; s <= 10; s++) specs.push(`bqp:n=10,density=0.4,seed=${s}`, `maxcut:n=11,density=0.5,weights=one,seed=${s}`, `maxcut:n=10,density=0.6,weights=pm1,seed=${s}`, `lsq:n=9,m=5,noise=2,seed=${s}`);
    let raised = 0;
    for (const spec of specs) {
      const problem = loadProblem(spec);
      const optimum = bruteForceMin(problem).value;
      const bounds = triangleBounds(problem.quadratic!, 6, optimum);
      for (const b of bounds) expect(b, spec).toBeLessThanOrEqual(optimum + 1e-9 * Math.max(1, Math.abs(optimum)));
      if (Math.max(...bounds) > bounds[0]! + 1e-6) raised++;
    }
    // and the multipliers do raise the bound on most of them
    expect(raised).toBeGreaterThan(20);
  });

  it('bb with triangle rounds at every node agrees with exact (MaxCut and sparse BQP, n = 14..18)', async () => {
    let rounds = 0;
    for (let s = 1; s <= 6; s++) {
      for (const spec of [`maxcut:n=${14 + s % 5},density=0.5,weights=one,seed=${s}`, `bqp:n=${13 + s % 6},density=0.3,seed=${s}`]) {
        const problem = loadProblem(spec);
        const exact = await runSolver(findSolver('exact'), problem, { seed: 1 });
        const r = await runSolver(findSolver('bb'), problem, { seed: 2, params: { cuts: 4, enumerate: 2, tabu: 0 } });
        expect(r.proven, spec).toBe(true);
        expect(r.loss).toBeCloseTo(exact.loss, 9);
        rounds += (r.info as { cutRounds: number }).cutRounds;
      }
    }
    // the rounds ran (nodes the plain bound did not prune)
    expect(rounds).toBeGreaterThan(10);
  });
});
