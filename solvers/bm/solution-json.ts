/**
 * The one JSON shape of a BmSolution: what `bnnrelax sdp --json` prints (after the instance's own
 * fields), what the sdp bench suite records, and what the `bm` solver picks its `info` from.
 */
import { signsToString } from '../../src/core/signs.js';
import type { BmSolution } from './solve-sdp.js';

export function bmSolutionJson(sol: BmSolution, options: { x?: boolean } = {}) {
  return {
    sense: sol.sense,
    rank: sol.rank,
    ...(sol.ranks ? { ranks: sol.ranks } : {}),
    algo: sol.algo,
    overRelaxation: sol.overRelaxation,
    kernels: sol.kernels,
    objective: sol.objective,
    bound: sol.bound,
    relGap: sol.relGap,
    certified: sol.certified,
    boundMethod: sol.boundMethod,
    boundProven: sol.boundProven,
    boundEstimate: sol.boundEstimate,
    lambdaMin: sol.lambdaMin,
    lambdaResidual: sol.lambdaResidual,
    rounded: sol.rounded,
    roundedBeforeFlip: sol.roundedBeforeFlip,
    roundedRatio: sol.rounded / sol.bound,
    rounds: sol.rounds,
    iterations: sol.iterations,
    certificateChecks: sol.certificateChecks,
    stopReason: sol.stopReason,
    ...(sol.switchedAt !== undefined ? { switchedAt: sol.switchedAt } : {}),
    timeMs: sol.solveMs + sol.certifyMs,
    solveMs: sol.solveMs,
    certifyMs: sol.certifyMs,
    roundMs: sol.roundMs,
    ...(sol.timeToCertifiedMs !== undefined ? { timeToCertifiedMs: sol.timeToCertifiedMs } : {}),
    msPerIteration: sol.solveMs / Math.max(1, sol.iterations),
    ...(options.x ? { x: signsToString(sol.x) } : {}),
  };
}

export type BmSolutionJson = ReturnType<typeof bmSolutionJson>;
