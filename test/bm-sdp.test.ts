import { describe, expect, it } from 'vitest';
import { solveDiagSdp, type BmAlgo } from '../solvers/bm/solve-sdp.js';
import { quadraticValue } from '../src/numerics/sym-csr-flip-state.js';
import { symCsrFromTriplets, symCsrNegate } from '../src/numerics/csr.js';
import { Rng } from '../src/numerics/rng.js';
import { bruteForceMax, independentDualBound, randomDenseSym, randomMaxCut } from './bm-helpers.js';

/** A floating-point allowance for comparing two independently computed sums of ~n^2 terms. */
const fp = (x: number) => 1e-9 * Math.max(1, Math.abs(x));

describe('bm on generated instances: the bound is a bound (checked with ml-matrix)', () => {
  const cases: { name: string; C: ReturnType<typeof randomDenseSym>; algo: BmAlgo }[] = [];
  for (const [n, seed] of [[30, 1], [120, 2], [300, 3]] as const) cases.push({ name: `maxcut +1 n=${n}`, C: randomMaxCut(n, 0.1, seed, false), algo: 'mixing' });
  for (const [n, seed] of [[50, 4], [200, 5]] as const) cases.push({ name: `maxcut +-1 n=${n}`, C: randomMaxCut(n, 0.08, seed, true), algo: 'mixing' });
  for (const [n, seed] of [[25, 6], [150, 7]] as const) cases.push({ name: `dense gaussian n=${n}`, C: randomDenseSym(n, seed), algo: 'mixing' });
  cases.push({ name: 'maxcut +1 n=100 lbfgs', C: randomMaxCut(100, 0.1, 8, false), algo: 'lbfgs' });
  cases.push({ name: 'dense gaussian n=80 lbfgs', C: randomDenseSym(80, 9), algo: 'lbfgs' });

  for (const { name, C, algo } of cases) {
    it(`${name}: certified, and bound >= independent dual bound >= objective`, () => {
      const sol = solveDiagSdp(C, 'max', { algo, seed: 1, tol: 1e-6, maxTimeMs: 20_000 });
      expect(sol.certified).toBe(true);
      expect(sol.boundMethod).toBe('cholesky');
      expect(sol.relGap).toBeLessThanOrEqual(1e-6);
      const ref = independentDualBound(C, sol.V, sol.rank);
      expect(sol.objective).toBeCloseTo(ref.primal, 6);
      // the dense eigenvalue says how large the shift must be: ours must be at least that
      expect(sol.bound).toBeGreaterThanOrEqual(ref.bound - fp(ref.bound));
      expect(sol.bound).toBeGreaterThanOrEqual(sol.objective);
      // the Lanczos estimate is never below the true lambda_min (it is a Ritz value)
      expect(sol.lambdaMin).toBeGreaterThanOrEqual(ref.lambdaMin - 1e-9 * Math.max(1, Math.abs(ref.lambdaMin)));
      // the rounded cut is feasible for the binary problem: below the bound, and its value is what it says
      expect(sol.rounded).toBeLessThanOrEqual(sol.bound);
      expect(quadraticValue(C, sol.x)).toBeCloseTo(sol.rounded, 8);
    });
  }

  it('the bound is above the true binary optimum (enumeration, n = 14)', () => {
    for (const seed of [11, 12, 13, 14, 15]) {
      const C = seed % 2 ? randomMaxCut(14, 0.4, seed, true) : randomDenseSym(14, seed);
      const opt = bruteForceMax(C);
      const sol = solveDiagSdp(C, 'max', { seed, tol: 1e-6 });
      expect(sol.bound).toBeGreaterThanOrEqual(opt - fp(opt));
      expect(sol.rounded).toBeLessThanOrEqual(opt + fp(opt));
    }
  });

  it('stopped early (not certified), the reported bound is still proven and still a bound', () => {
    for (const [maxIter, seed] of [[1, 1], [3, 2], [10, 3]] as const) {
      const C = randomMaxCut(150, 0.1, 20 + seed, true);
      const sol = solveDiagSdp(C, 'max', { seed, maxIter });
      expect(sol.certified).toBe(false);
      expect(sol.boundProven).toBe(true);
      const ref = independentDualBound(C, sol.V, sol.rank);
      expect(sol.bound).toBeGreaterThanOrEqual(ref.bound - fp(ref.bound));
    }
  });

  it('minimisation is the mirror image: bound <= objective, same value as max of -C', () => {
    const C = randomDenseSym(60, 31);
    const min = solveDiagSdp(C, 'min', { seed: 2 });
    const max = solveDiagSdp(symCsrNegate(C), 'max', { seed: 2 });
    expect(min.certified).toBe(true);
    expect(min.bound).toBeLessThanOrEqual(min.objective);
    expect(min.objective).toBeCloseTo(-max.objective, 10);
    const ref = independentDualBound(symCsrNegate(C), min.V, min.rank);
    expect(-min.bound).toBeGreaterThanOrEqual(ref.bound - fp(ref.bound));
  });

  it('the two algorithms agree on the optimum to the tolerance', () => {
    const C = randomMaxCut(120, 0.1, 41, true);
    const a = solveDiagSdp(C, 'max', { algo: 'mixing', seed: 3 });
    const b = solveDiagSdp(C, 'max', { algo: 'lbfgs', seed: 4 });
    expect(a.certified && b.certified).toBe(true);
    // each objective is below the other's bound
    expect(a.objective).toBeLessThanOrEqual(b.bound);
    expect(b.objective).toBeLessThanOrEqual(a.bound);
    expect(Math.abs(a.objective - b.objective) / Math.abs(a.objective)).toBeLessThan(2e-6);
  });

  it('auto, plain mixing (omega 1), switches to L-BFGS on a +-1 torus (slow mixing), and still certifies; over-relaxed, it raises omega instead and certifies in fewer sweeps', () => {
    const side = 15;
    const r: number[] = [];
    const c: number[] = [];
    const v: number[] = [];
    const rng = new Rng(5);
    const add = (i: number, j: number) => {
      const w = rng.sign() / 4;
      r.push(i, j, Math.min(i, j));
      c.push(i, j, Math.max(i, j));
      v.push(w, w, -w);
    };
    for (let a = 0; a < side; a++) {
      for (let b = 0; b < side; b++) {
        add(a * side + b, a * side + ((b + 1) % side));
        add(a * side + b, ((a + 1) % side) * side + b);
      }
    }
    const C = symCsrFromTriplets(side * side, r, c, v);
    const sol = solveDiagSdp(C, 'max', { seed: 1, overRelaxation: 1 });
    expect(sol.algo).toBe('auto');
    expect(sol.switchedAt).toBeGreaterThan(40);
    expect(sol.certified).toBe(true);
    const ref = independentDualBound(C, sol.V, sol.rank);
    expect(sol.bound).toBeGreaterThanOrEqual(ref.bound - fp(ref.bound));
    const fast = solveDiagSdp(C, 'max', { seed: 1 });
    expect(fast.certified).toBe(true);
    expect(fast.switchedAt).toBeUndefined();
    expect(fast.iterations).toBeLessThan(sol.iterations);
    const refFast = independentDualBound(C, fast.V, fast.rank);
    expect(fast.bound).toBeGreaterThanOrEqual(refFast.bound - fp(refFast.bound));
    // on a quickly converging instance it never switches
    expect(solveDiagSdp(randomMaxCut(100, 0.1, 3, false), 'max', { seed: 1 }).switchedAt).toBeUndefined();
  });

  it('a too-small rank ends (stalled or certified) with a proven bound', () => {
    for (const seed of [1, 2]) {
      const C = randomMaxCut(80, 0.2, 70 + seed, true);
      const sol = solveDiagSdp(C, 'max', { seed, rank: 2, algo: 'mixing' });
      expect(['certified', 'stalled']).toContain(sol.stopReason);
      expect(sol.boundProven).toBe(true);
      const ref = independentDualBound(C, sol.V, sol.rank);
      expect(sol.bound).toBeGreaterThanOrEqual(ref.bound - fp(ref.bound));
    }
  });

  it('--verify lanczos stops on the estimate, which goes to boundEstimate; bound stays a proven (Gershgorin) bound', () => {
    const C = randomMaxCut(80, 0.1, 51, false);
    const sol = solveDiagSdp(C, 'max', { seed: 1, verify: 'lanczos' });
    expect(sol.stopReason).toBe('estimated');
    expect(sol.boundMethod).toBe('gershgorin');
    expect(sol.certified).toBe(false);
    expect((sol.boundEstimate - sol.objective) / sol.objective).toBeLessThanOrEqual(1e-6);
    const ref = independentDualBound(C, sol.V, sol.rank);
    expect(sol.bound).toBeGreaterThanOrEqual(ref.bound - fp(ref.bound));
    expect(sol.bound).toBeGreaterThan(sol.boundEstimate);
  });

  it('a very tight tol keeps the best proven bound: never worse than at the default tol, never Gershgorin (issue 17)', () => {
    for (const seed of [1, 2]) {
      const C = randomMaxCut(60, 0.2, 90 + seed, seed === 2);
      const loose = solveDiagSdp(C, 'max', { seed });
      for (const tol of [1e-12, 1e-16]) {
        const tight = solveDiagSdp(C, 'max', { seed, tol, maxIter: 5000 });
        expect(tight.boundMethod).toBe('cholesky');
        expect(tight.bound).toBeLessThanOrEqual(loose.bound);
        const ref = independentDualBound(C, tight.V, tight.rank);
        expect(tight.bound).toBeGreaterThanOrEqual(ref.bound - fp(ref.bound));
      }
    }
  });

  it('--max-time bounds the whole solve, final check and rounding included', () => {
    const C = randomMaxCut(300, 0.1, 95, true);
    const t0 = performance.now();
    // a million rounding draws alone would take about a minute here; the deadline stops them
    const sol = solveDiagSdp(C, 'max', { seed: 1, tol: 1e-14, maxTimeMs: 150, rounds: 1_000_000 });
    const elapsed = performance.now() - t0;
    // with over-relaxed mixing this solve may stall (tol 1e-14 is below what doubles reach) before
    // 150 ms on a quiet machine, or run out of time first under load: either way the rounding
    // that follows is what the deadline must stop
    expect(['max-time', 'stalled']).toContain(sol.stopReason);
    expect(sol.rounds).toBeLessThan(1_000_000);
    expect(sol.boundProven).toBe(true);
    // what may still run past the deadline: the iteration and check in flight, one draw, the
    // O(nnz) Gershgorin bound, and (on a cold start) JIT compilation; not the draws or a proof
    expect(elapsed).toBeLessThan(10_000);
  });

  it('a run out of time goes straight to its final check: one check, the one that tries hardest', () => {
    // the budget ends before the first scheduled check; an ordinary check just before the final
    // one only spent the time kept back for the final proof (G81: two 9 s checks, no proof)
    const C = randomMaxCut(300, 0.1, 95, true);
    const sol = solveDiagSdp(C, 'max', { seed: 1, tol: 1e-14, maxTimeMs: 1, rounds: 1 });
    expect(sol.stopReason).toBe('max-time');
    expect(sol.certificateChecks).toBe(1);
    expect(sol.bound).toBeGreaterThanOrEqual(sol.objective);
  });

  it('same seed, same result', () => {
    const C = randomMaxCut(100, 0.1, 61, true);
    const a = solveDiagSdp(C, 'max', { seed: 5 });
    const b = solveDiagSdp(C, 'max', { seed: 5 });
    expect(a.objective).toBe(b.objective);
    expect(a.bound).toBe(b.bound);
    expect(Array.from(a.x)).toEqual(Array.from(b.x));
  });
});
