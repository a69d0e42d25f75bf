/**
 * Randomised soundness of the certificate: on many small instances and every option, the bound
 * reported (always a proven one) is never below the optimum. Two independent references: the
 * binary optimum by enumeration (exact for the +-1/4 MaxCut weights) and the objective of a
 * separate high-accuracy solve (a feasible value of the SDP, so at most its optimum).
 * BNNRELAX_SOUNDNESS_CASES=5000 runs more than the default (npm test stays fast).
 */
import { describe, expect, it } from 'vitest';
import { solveDiagSdp, type BmAlgo, type BmOptions } from '../solvers/bm/solve-sdp.js';
import { symCsrNegate } from '../src/numerics/csr.js';
import { Rng } from '../src/numerics/rng.js';
import { bruteForceMax, randomDenseSym, randomMaxCut } from './bm-helpers.js';

const CASES = Number(process.env.BNNRELAX_SOUNDNESS_CASES ?? 300);

describe(`certificate soundness on ${CASES} random small instances`, () => {
  it('the proven bound is never below the binary optimum nor below a feasible SDP value, for every option', () => {
    const rng = new Rng(20261201, 'soundness');
    const algos: BmAlgo[] = ['auto', 'mixing', 'lbfgs', 'newton'];
    let minMargin = Infinity;
    for (let c = 0; c < CASES; c++) {
      const n = 2 + rng.int(11);
      const kind = rng.int(3);
      const C = kind === 2 ? randomDenseSym(n, c) : randomMaxCut(n, 0.2 + 0.6 * rng.float(), c, kind === 1);
      const sense = rng.bernoulli(0.5) ? 'max' : 'min';
      const options: BmOptions = {
        seed: rng.int(1000),
        algo: algos[rng.int(4)]!,
        tol: 10 ** -(1 + rng.int(15)),
        kernels: rng.bernoulli(0.5) ? 'js' : 'wasm',
        rounds: 2,
        ...(rng.bernoulli(0.3) ? { rank: 1 + rng.int(3) } : {}),
        ...(rng.bernoulli(0.3) ? { maxIter: 1 + rng.int(30) } : {}),
        // the over-relaxation of the mixing sweeps: plain, moderate, nearly 2 (default 1.8 otherwise)
        ...(rng.bernoulli(0.4) ? { overRelaxation: [1, 1.5, 1.99][rng.int(3)]! } : {}),
      };
      const sol = solveDiagSdp(C, sense, options);
      const M = sense === 'max' ? C : symCsrNegate(C);
      const binary = bruteForceMax(M);
      const feasible = solveDiagSdp(M, 'max', { seed: 7, tol: 1e-10, rounds: 1 }).objective;
      const s = sense === 'max' ? 1 : -1;
      const bound = s * sol.bound;
      expect(sol.boundProven).toBe(true);
      expect(bound).toBeGreaterThanOrEqual(binary);
      expect(bound).toBeGreaterThanOrEqual(feasible - 1e-13 * Math.max(1, Math.abs(feasible)));
      // the objective <C, V V'> is a floating-point value of a factor whose rows are unit only to
      // rounding, not a proven number: it may exceed OPT (and so the bound) by a few ulps of
      // sum |C_ij| (seen: n = 2, OPT = 0, objective 1.1e-16 above a bound of 6.8e-20)
      let absC = 0;
      for (let i = 0; i < n; i++) absC += Math.abs(C.diag[i]!);
      for (let p = 0; p < C.rowPtr[n]!; p++) absC += Math.abs(C.val[p]!);
      expect(s * sol.objective).toBeLessThanOrEqual(bound + 8 * n * 2 ** -52 * absC);
      if (sol.certified) expect(sol.relGap).toBeLessThanOrEqual(options.tol!);
      minMargin = Math.min(minMargin, (bound - feasible) / Math.max(1, Math.abs(feasible)));
    }
    expect(minMargin).toBeGreaterThan(-1e-13);
  });
});
