/**
 * `bm` as a Solver for any Problem with a quadratic loss w'Qw + 2b'w + c: homogenise
 * (reductions.ts), solve min <Qh, X> s.t. diag(X) = 1, X psd by Burer-Monteiro, round V to x with
 * 1-flip local search on the homogenised form (which is 1-flip search on the loss itself: flipping
 * x_i with i < n flips w_i), and map back. The result is already 1-flip optimal, so it is not
 * polished again. `bound` is the PROVEN lower bound (Cholesky-verified dual, or Gershgorin).
 */
import { defineSolver } from '../../src/core/solver.js';
import { finishResult } from '../common/finish.js';
import { atMostVariables, checkRequirements, needsQuadratic } from '../common/requirements.js';
import { BM_ALGOS, CHOLESKY_MAX_N, DEFAULT_ALGO, OVER_RELAXATION, solveDiagSdp } from './solve-sdp.js';
import { homogenise } from './reductions.js';
import { bmSolutionJson } from './solution-json.js';

/** Largest n: the homogenised (n+1) x (n+1) matrix must stay within reach of the Cholesky proof. */
export const BM_MAX_N = CHOLESKY_MAX_N - 1;

const BM_REQUIREMENTS = [needsQuadratic, atMostVariables(BM_MAX_N, 'builds a dense (n+1)^2 matrix')];

export const bmSolver = defineSolver({
  name: 'bm',
  summary: 'Burer-Monteiro SDP relaxation (homogenised BQP) with a proven lower bound, hyperplane rounding and 1-flip polish',
  params: [
    { name: 'algo', type: 'string', default: DEFAULT_ALGO, choices: BM_ALGOS, help: 'mixing (row-by-row coordinate ascent), lbfgs (Riemannian L-BFGS), newton (mixing, then trust-region Newton), or auto (mixing, switching to lbfgs when it slows down)' },
    { name: 'omega', type: 'number', default: OVER_RELAXATION, min: 1, below: 2, help: 'over-relaxation of the mixing sweeps (1 = plain mixing); auto raises it towards 2 when mixing slows down' },
    { name: 'rank', type: 'int', default: 0, min: 0, help: 'rank of V; 0 = the rank staircase, from a third of ceil(sqrt(2(n+1))) + 1 (at least 16; the whole of it below n = 200) up to it' },
    { name: 'tol', type: 'number', default: 1e-6, min: 0, help: 'target certified relative gap of the SDP' },
    { name: 'rounds', type: 'int', default: 100, min: 1, help: 'hyperplane rounding draws (each + 1-flip)' },
  ],
  supports: (problem) => checkRequirements(problem, 'bm', BM_REQUIREMENTS),
  run(problem, options, params) {
    const start = performance.now();
    const h = homogenise(problem.quadratic!);
    const sol = solveDiagSdp(h.C, 'min', {
      algo: params.algo,
      overRelaxation: params.omega,
      ...(params.rank > 0 ? { rank: params.rank } : {}),
      tol: params.tol,
      rounds: params.rounds,
      seed: options.seed,
      verify: 'cholesky',
      ...(options.maxIter !== undefined ? { maxIter: options.maxIter } : {}),
      ...(options.maxTimeMs !== undefined ? { maxTimeMs: options.maxTimeMs } : {}),
    });
    const s = bmSolutionJson(sol);
    return finishResult(problem, 'bm', { ...options, polish: false }, h.invertSigns(sol.x), {
      start,
      iterations: sol.iterations,
      // sol.bound is always proven (the best proven during the run)
      bound: h.invertLowerBound(sol.bound),
      info: {
        algo: s.algo,
        rank: s.rank,
        sdpObjective: h.invertValue(s.objective),
        relGap: s.relGap,
        certified: s.certified,
        boundMethod: s.boundMethod,
        stopReason: s.stopReason,
        roundedLoss: h.invertValue(s.rounded),
        certificateChecks: s.certificateChecks,
      },
    });
  },
});
