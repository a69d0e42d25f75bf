/**
 * Exact minimisation by Gray-code enumeration of all 2^n sign vectors: consecutive vectors differ
 * in one variable, so each step is one FlipState flip (O(n) for quadratic forms, O(m) for margin
 * losses). Cached fields are recomputed every 2^14 steps so rounding drift stays negligible, and the
 * reported loss is recomputed from the best weights. The result is a proven optimum.
 */
import type { Problem } from '../src/problem.js';
import type { Solver, SolveOptions } from '../src/solver.js';
import { UserError } from '../src/errors.js';
import { flipStateFor } from '../src/flip-state.js';
import { finishResult } from './finish.js';

export const EXACT_MAX_N = 30;

export const exactSolver: Solver = {
  name: 'exact',
  summary: `Gray-code enumeration of all 2^n sign vectors; a proven optimum (n <= ${EXACT_MAX_N})`,
  params: [],
  supports: (problem) => (problem.n <= EXACT_MAX_N ? true : `exact enumerates 2^n vectors and is limited to n <= ${EXACT_MAX_N} (this problem has n = ${problem.n})`),
  solve(problem: Problem, options: SolveOptions) {
    const why = exactSolver.supports(problem);
    if (why !== true) throw new UserError(why);
    const start = performance.now();
    const n = problem.n;
    const origin = new Int8Array(n).fill(-1);
    const state = flipStateFor(problem, origin);
    let bestValue = state.value;
    let bestCode = 0;
    const total = 2 ** n;
    for (let k = 1; k < total; k++) {
      // the Gray code of k differs from that of k-1 in the lowest set bit of k
      const i = 31 - Math.clz32(k & -k);
      state.flip(i);
      if ((k & 0x3fff) === 0) {
        state.resync();
        if (options.onProgress && (k & 0xfffff) === 0) options.onProgress(k, bestValue);
      }
      if (state.value < bestValue) {
        bestValue = state.value;
        bestCode = k;
      }
    }
    const gray = bestCode ^ (bestCode >>> 1);
    const best = Int8Array.from(origin, (v, i) => ((gray >>> i) & 1 ? -v : v));
    const optimum = problem.loss(best);
    return finishResult(problem, 'exact', { ...options, polish: false }, best, {
      start,
      iterations: total,
      optimum,
      proven: true,
    });
  },
};
