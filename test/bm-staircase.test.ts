import { describe, expect, it } from 'vitest';
import { solveDiagSdp } from '../solvers/bm/solve-sdp.js';
import { grownFactor, startRank, defaultRank } from '../solvers/bm/factor.js';
import { Rng } from '../src/numerics/rng.js';
import { randomDenseSym, randomMaxCut } from './bm-helpers.js';

describe('rank staircase', () => {
  const cases = [
    ['unweighted MaxCut n = 120', randomMaxCut(120, 0.1, 3, false)],
    ['+-1 MaxCut n = 120', randomMaxCut(120, 0.1, 4, true)],
    ['dense Gaussian n = 60', randomDenseSym(60, 5)],
  ] as const;
  it.each(cases)('%s: from rank 1-3 it leaves non-optimal stationary points and certifies the value of the fixed default rank', (_, C) => {
    const fixed = solveDiagSdp(C, 'max', { seed: 1, tol: 1e-6, rounds: 1, rank: defaultRank(C.n) });
    expect(fixed.certified).toBe(true);
    expect(fixed.ranks).toBeUndefined();
    for (const start of [1, 2, 3]) {
      const s = solveDiagSdp(C, 'max', { seed: 1, tol: 1e-6, rounds: 1, startRank: start });
      expect(s.certified).toBe(true);
      // at rank 1 (a +-1 vector) the SDP is a cut problem: its stationary points are not the SDP optimum
      expect(s.ranks!.length).toBeGreaterThan(1);
      expect(s.ranks![0]).toEqual({ rank: start, from: 0 });
      for (let i = 1; i < s.ranks!.length; i++) {
        expect(s.ranks![i]!.rank).toBeGreaterThan(s.ranks![i - 1]!.rank);
        expect(s.ranks![i]!.from).toBeGreaterThan(s.ranks![i - 1]!.from);
      }
      expect(s.rank).toBe(s.ranks!.at(-1)!.rank);
      expect(s.rank).toBeLessThanOrEqual(defaultRank(C.n));
      // both are feasible SDP values with proven bounds: each bound is above the other's value
      expect(s.bound).toBeGreaterThanOrEqual(fixed.objective);
      expect(fixed.bound).toBeGreaterThanOrEqual(s.objective);
      expect(Math.abs(s.objective - fixed.objective) / Math.abs(fixed.objective)).toBeLessThanOrEqual(2e-6);
    }
  });

  it('an asked rank or a starting factor is kept: no staircase', () => {
    const C = randomMaxCut(120, 0.1, 3, false);
    const s = solveDiagSdp(C, 'max', { seed: 1, tol: 1e-6, rounds: 1, rank: 2 });
    expect(s.rank).toBe(2);
    expect(s.ranks).toBeUndefined();
  });

  it('starts at a third of the default rank (at least 16) from n = 200, at the default below', () => {
    expect(startRank(120)).toBe(defaultRank(120));
    expect(startRank(800)).toBe(16);
    expect(startRank(300)).toBe(16);
    expect(startRank(2000)).toBe(22);
    for (const n of [200, 1000, 5000, 20000]) expect(startRank(n)).toBeLessThanOrEqual(defaultRank(n));
  });

  it('the grown factor keeps unit rows, the old columns up to the row scale, and adds rank', () => {
    const n = 50;
    const k = 3;
    const rng = new Rng(7, 'g');
    const V = new Float64Array(n * k).map(() => rng.normal());
    for (let i = 0; i < n; i++) {
      const norm = Math.hypot(V[i * k]!, V[i * k + 1]!, V[i * k + 2]!);
      for (let r = 0; r < k; r++) V[i * k + r]! /= norm;
    }
    const u = new Float64Array(n).map(() => rng.normal());
    const W = grownFactor(V, n, k, 6, u, 0.3, new Rng(1, 'grow'));
    for (let i = 0; i < n; i++) {
      let norm = 0;
      for (let r = 0; r < 6; r++) norm += W[i * 6 + r]! ** 2;
      expect(norm).toBeCloseTo(1, 12);
      // the old part of the row is parallel to the old row
      const scale = W[i * 6]! / V[i * k]!;
      for (let r = 0; r < k; r++) expect(W[i * 6 + r]!).toBeCloseTo(scale * V[i * k + r]!, 12);
      expect(Math.sign(W[i * 6 + 3]!)).toBe(Math.sign(u[i]!));
      // every new column is nonzero somewhere (a zero column stays zero under mixing)
    }
    for (let r = 3; r < 6; r++) expect(Array.from({ length: n }, (_, i) => Math.abs(W[i * 6 + r]!)).some((x) => x > 1e-3)).toBe(true);
  });
});
