/**
 * `bm` as a Solver for any Problem with a quadratic loss w'Qw + 2b'w + c. Homogenise with one
 * extra sign t (x = [w; t], w_i = x_i t): the loss is x'Qh x + c with Qh = [[Q, b], [b', 0]], whose
 * SDP relaxation min <Qh, X> s.t. diag(X) = 1, X psd gives a lower bound on the best binary loss.
 * Solve it by Burer-Monteiro, round V to x, un-homogenise, polish with 1-flip local search.
 * `bound` is the PROVEN lower bound (Cholesky-verified dual, or Gershgorin), plus c.
 */
import { defineSolver } from '../../src/core/solver.js';
import { symCsrFromDense } from '../../src/numerics/csr.js';
import { finishResult } from '../common/finish.js';
import { atMostVariables, checkRequirements, needsQuadratic } from '../common/requirements.js';
import { BM_ALGOS, CHOLESKY_MAX_N, DEFAULT_ALGO, solveDiagSdp } from './solve-sdp.js';

/** Largest n: the homogenised (n+1) x (n+1) matrix must stay within reach of the Cholesky proof. */
export const BM_MAX_N = CHOLESKY_MAX_N - 1;

export function homogenise(Q: Float64Array, b: Float64Array, n: number): Float64Array {
  const N = n + 1;
  const Qh = new Float64Array(N * N);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) Qh[i * N + j] = Q[i * n + j]!;
    Qh[i * N + n] = b[i]!;
    Qh[n * N + i] = b[i]!;
  }
  return Qh;
}

const BM_REQUIREMENTS = [needsQuadratic, atMostVariables(BM_MAX_N, 'builds a dense (n+1)^2 matrix')];

export const bmSolver = defineSolver({
  name: 'bm',
  summary: 'Burer-Monteiro SDP relaxation (homogenised BQP) with a proven lower bound, hyperplane rounding and 1-flip polish',
  params: [
    { name: 'algo', type: 'string', default: DEFAULT_ALGO, choices: BM_ALGOS, help: 'mixing (row-by-row coordinate ascent), lbfgs (Riemannian L-BFGS), or auto (mixing, switching to lbfgs when it slows down)' },
    { name: 'rank', type: 'int', default: 0, min: 0, help: 'rank of V; 0 = ceil(sqrt(2(n+1))) + 1' },
    { name: 'tol', type: 'number', default: 1e-6, min: 0, help: 'target certified relative gap of the SDP' },
    { name: 'rounds', type: 'int', default: 100, min: 1, help: 'hyperplane rounding draws (each + 1-flip)' },
  ],
  supports: (problem) => checkRequirements(problem, 'bm', BM_REQUIREMENTS),
  run(problem, options, params) {
    const start = performance.now();
    const { n, Q, b, c } = problem.quadratic!;
    const N = n + 1;
    const C = symCsrFromDense(N, homogenise(Q, b, n));
    const sol = solveDiagSdp(C, 'min', {
      algo: params.algo,
      ...(params.rank > 0 ? { rank: params.rank } : {}),
      tol: params.tol,
      rounds: params.rounds,
      seed: options.seed,
      verify: 'cholesky',
      ...(options.maxIter !== undefined ? { maxIter: options.maxIter } : {}),
      ...(options.maxTimeMs !== undefined ? { maxTimeMs: options.maxTimeMs } : {}),
    });
    const t = sol.x[n]!;
    const w = new Int8Array(n);
    for (let i = 0; i < n; i++) w[i] = (sol.x[i]! * t) as 1 | -1;
    return finishResult(problem, 'bm', { ...options, polish: true }, w, {
      start,
      iterations: sol.iterations,
      // `bound` promises a proven lower bound: never pass on an estimate
      // (less a few ulps for the rounding of the addition itself)
      ...(sol.boundProven ? { bound: sol.bound + c - 4 * 2 ** -53 * (Math.abs(sol.bound) + Math.abs(c)) } : {}),
      info: {
        algo: sol.algo,
        rank: sol.rank,
        sdpObjective: sol.objective + c,
        relGap: sol.relGap,
        certified: sol.certified,
        boundMethod: sol.boundMethod,
        stopReason: sol.stopReason,
        roundedLoss: sol.rounded + c,
        certificateChecks: sol.certificateChecks,
      },
    });
  },
});
