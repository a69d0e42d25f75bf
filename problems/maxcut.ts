/**
 * MaxCut (and any diagonally constrained max-SDP file) as a binary problem: the SDPA `.dat-s`
 * and G-set readers give C (= L/4 for MaxCut), and the loss of x in {-1,+1}^n is -x'Cx, minus the
 * cut value, so that every solver minimises. The SDP relaxation of this quadratic form is the
 * file's SDP, so `bm`'s bound is minus the SDP value.
 */
import { UserError } from '../src/core/errors.js';
import { symCsrToDense } from '../src/numerics/csr.js';
import { readDiagSdp } from '../src/formats/sdp-file.js';
import { QuadraticProblem } from './quadratic.js';
import type { ParsedSpec } from '../src/core/spec.js';
import { SpecReader } from '../src/core/spec.js';
import { Rng } from '../src/numerics/rng.js';

/** Above this n the dense n x n quadratic form would not fit comfortably in memory. */
export const MAXCUT_DENSE_MAX_N = 8000;

export class MaxcutProblem extends QuadraticProblem {
  constructor(spec: string, Q: Float64Array, n: number, readonly notes: string[]) {
    super(spec, 'maxcut', { n, Q, b: new Float64Array(n), c: 0 });
  }
}

export function readMaxcutProblem(path: string): MaxcutProblem {
  const sdp = readDiagSdp(path);
  if (sdp.n > MAXCUT_DENSE_MAX_N) throw new UserError(`${path}: n = ${sdp.n} is above ${MAXCUT_DENSE_MAX_N}, the largest graph loaded as a dense binary problem (use 'bnnrelax sdp' for the relaxation alone)`);
  const C = symCsrToDense(sdp.C);
  // minimise -x'Cx for a max-sense file, x'Cx for a min-sense one
  const sign = sdp.sense === 'max' ? -1 : 1;
  for (let k = 0; k < C.length; k++) C[k] = sign * C[k]!;
  const problem = new MaxcutProblem(`file:${path}`, C, sdp.n, sdp.notes);
  // the file's own objective: the cut value x'(L/4)x for a max-sense file
  problem.objective = (w) => sign * problem.loss(w);
  return problem;
}

/**
 * A seeded random graph as MaxCut, `maxcut:n=..,density=..,weights=one|pm1,seed=..`: each pair is
 * an edge with probability `density`, weight 1 (the Biq Mac library's g05 family: unweighted
 * G(n, 0.5)) or ±1 with equal odds (its pm1s / pm1d families). The instances are drawn here with
 * the toolkit's generator, in the style of those families, not copies of the library's files.
 * loss(x) = -cut(x), cut(x) = sum over edges of w_ij (1 - x_i x_j)/2.
 */
export function createRandomMaxcut(spec: ParsedSpec): MaxcutProblem {
  const r = new SpecReader(spec);
  const n = r.int('n', 80, { min: 2, max: MAXCUT_DENSE_MAX_N });
  const density = r.number('density', 0.5, { min: 0, max: 1 });
  const weights = r.choice('weights', 'one', ['one', 'pm1'] as const);
  const seed = r.int('seed', 1, { min: 0 });
  const canonical = r.finish();
  const rng = new Rng(seed, 'maxcut');
  // Q = -L/4: off-diagonal +w/4, diagonal -(weighted degree)/4
  const Q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (rng.float() >= density) continue;
      const w = weights === 'one' ? 1 : rng.sign();
      Q[i * n + j] = w / 4;
      Q[j * n + i] = w / 4;
      Q[i * n + i]! -= w / 4;
      Q[j * n + j]! -= w / 4;
    }
  }
  const problem = new MaxcutProblem(canonical, Q, n, []);
  problem.objective = (x) => -problem.loss(x);
  return problem;
}
