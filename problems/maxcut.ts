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
