/**
 * Exact minimisation by Gray-code enumeration of all 2^n sign vectors: consecutive vectors differ
 * in one variable, so each step is one FlipState flip (O(n) for quadratic forms, O(m) for margin
 * losses). Cached fields are recomputed every 2^14 steps so rounding drift stays negligible, and the
 * reported loss is recomputed from the best weights. The result is a proven optimum, unless the
 * time budget (--max-time) stops the walk first: then it is the best vector enumerated so far,
 * reported with `proven` absent and `info.complete: false`.
 */
import type { Problem, QuadraticForm } from '../src/core/problem.js';
import { defineSolver, type SolveOptions } from '../src/core/solver.js';
import { flipStateFor } from '../src/core/flip-state.js';
import { finishResult } from './common/finish.js';
import { atMostVariables } from './common/requirements.js';

export const EXACT_MAX_N = 30;

const withinEnumeration = atMostVariables(EXACT_MAX_N, 'enumerates 2^n vectors');

export const exactSolver = defineSolver({
  name: 'exact',
  summary: `Gray-code enumeration of all 2^n sign vectors; a proven optimum (n <= ${EXACT_MAX_N})`,
  params: [],
  supports: (problem) => withinEnumeration(problem, 'exact'),
  run(problem: Problem, options: SolveOptions) {
    const start = performance.now();
    const n = problem.n;
    const total = 2 ** n;
    const origin = new Int8Array(n).fill(-1);
    const deadline = options.maxTimeMs === undefined ? Infinity : start + options.maxTimeMs;
    const walk = problem.quadratic ? enumerateQuadratic(problem.quadratic, options.onProgress, deadline) : enumerateFlips(problem, origin, options.onProgress, deadline);
    const best = 'best' in walk ? walk.best : codeToSigns(walk.bestCode, origin);
    if (walk.enumerated < total) {
      return finishResult(problem, 'exact', { ...options, polish: false }, best, {
        start,
        iterations: walk.enumerated,
        info: { complete: false, enumerated: walk.enumerated, of: total, stopReason: 'max-time' },
      });
    }
    const optimum = problem.loss(best);
    return finishResult(problem, 'exact', { ...options, polish: false }, best, {
      start,
      iterations: total,
      optimum,
      proven: true,
    });
  },
});

type Progress = SolveOptions['onProgress'];

/** The vector at step `code` of the Gray walk from `origin`. */
function codeToSigns(code: number, origin: Int8Array): Int8Array {
  const gray = code ^ (code >>> 1);
  return Int8Array.from(origin, (v, i) => ((gray >>> i) & 1 ? -v : v));
}

/** How often (in enumerated vectors) the walks look at the clock: cheap against the work between. */
const CLOCK_EVERY = 0x3fff;

/** Returns the Gray-code index of the best vector, using the problem's FlipState, and how many were enumerated. */
function enumerateFlips(problem: Problem, origin: Int8Array, onProgress: Progress, deadline: number): { bestCode: number; enumerated: number } {
  const state = flipStateFor(problem, origin);
  let bestValue = state.value;
  let bestCode = 0;
  const total = 2 ** problem.n;
  for (let k = 1; k < total; k++) {
    // the Gray code of k differs from that of k-1 in the lowest set bit of k
    const i = 31 - Math.clz32(k & -k);
    state.flip(i);
    if ((k & CLOCK_EVERY) === 0) {
      state.resync();
      if (onProgress && (k & 0xfffff) === 0) onProgress(k, bestValue);
    }
    if (state.value < bestValue) {
      bestValue = state.value;
      bestCode = k;
    }
    if ((k & CLOCK_EVERY) === 0 && performance.now() > deadline) return { bestCode, enumerated: k + 1 };
  }
  return { bestCode, enumerated: total };
}

/**
 * Enumeration of a quadratic form in two nested Gray codes: the low block of L <= 12 variables
 * inside, the rest outside. With the high block fixed, the loss is
 *   H + q(u) + 2 c'u,   u the low block, q(u) = u'Q_LL u (tabulated once for the 2^L Gray steps),
 *   c = b_L + Q_LH v (v the high block), H the high block's own terms,
 * so each inner step costs O(1) (one term of the linear part changes) and only the 2^(n-L) outer
 * flips pay O(n). Everything is recomputed from scratch every 2^10 outer steps, so rounding drift
 * stays at the level of one evaluation. Returns the best vector itself and how many were enumerated.
 */
export function enumerateQuadratic(form: QuadraticForm, onProgress: Progress, deadline: number): { best: Int8Array; enumerated: number } {
  const { n, Q, b } = form;
  const L = Math.min(n, 12);
  const inner = 2 ** L;
  const outer = 2 ** (n - L);
  const flipAt = new Uint8Array(inner);
  for (let k = 1; k < inner; k++) flipAt[k] = 31 - Math.clz32(k & -k);
  // q(u) along the inner Gray walk, from u = all -1
  const qLow = new Float64Array(inner);
  const u = new Float64Array(L).fill(-1);
  for (let k = 0; k < inner; k++) {
    if (k > 0) u[flipAt[k]!] = -u[flipAt[k]!]!;
    let q = 0;
    for (let i = 0; i < L; i++) for (let j = 0; j < L; j++) q += u[i]! * Q[i * n + j]! * u[j]!;
    qLow[k] = q;
  }
  const w = new Float64Array(n).fill(-1); // high block lives in w[L..n)
  const c = new Float64Array(L);
  const gHigh = new Float64Array(n); // Q_HH v + b_H for the high indices
  let H = 0;
  const resync = () => {
    for (let i = 0; i < L; i++) {
      let s = b[i]!;
      for (let j = L; j < n; j++) s += Q[i * n + j]! * w[j]!;
      c[i] = s;
    }
    H = 0;
    for (let i = L; i < n; i++) {
      let s = b[i]!;
      for (let j = L; j < n; j++) s += Q[i * n + j]! * w[j]!;
      gHigh[i] = s;
      H += w[i]! * (s + b[i]!);
    }
  };
  resync();
  let bestValue = Infinity;
  let bestOuter = 0;
  let bestInner = 0;
  const cu = new Float64Array(L); // c_i * u_i along the inner walk
  let h = 0;
  for (; h < outer; h++) {
    if (h > 0 && ((h * inner) & CLOCK_EVERY) === 0 && performance.now() > deadline) break;
    if (h > 0) {
      const i = L + 31 - Math.clz32(h & -h);
      const wi = w[i]!;
      H += 4 * (Q[i * n + i]! - wi * gHigh[i]!);
      const s = -2 * wi;
      for (let j = 0; j < L; j++) c[j] += s * Q[j * n + i]!;
      for (let j = L; j < n; j++) gHigh[j] += s * Q[i * n + j]!;
      w[i] = -wi;
      if ((h & 0x3ff) === 0) {
        resync();
        if (onProgress && (h & 0xffff) === 0) onProgress(h * inner, bestValue);
      }
    }
    let lin = 0;
    for (let i = 0; i < L; i++) {
      cu[i] = -c[i]!;
      lin -= 2 * c[i]!;
    }
    for (let k = 0; k < inner; k++) {
      if (k > 0) {
        const i = flipAt[k]!;
        lin -= 4 * cu[i]!;
        cu[i] = -cu[i]!;
      }
      const v = H + qLow[k]! + lin;
      if (v < bestValue) {
        bestValue = v;
        bestOuter = h;
        bestInner = k;
      }
    }
  }
  const best = new Int8Array(n);
  const grayIn = bestInner ^ (bestInner >>> 1);
  const grayOut = bestOuter ^ (bestOuter >>> 1);
  for (let i = 0; i < L; i++) best[i] = (grayIn >>> i) & 1 ? 1 : -1;
  for (let i = L; i < n; i++) best[i] = (grayOut >>> (i - L)) & 1 ? 1 : -1;
  return { best, enumerated: h * inner };
}
