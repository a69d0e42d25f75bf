/**
 * The `mip` solver: trains a binary classifier exactly as a mixed-integer linear program solved
 * by HiGHS (highs.ts), on problems that describe themselves as data (src/core/problem.ts):
 *  - a linear classifier (teacher) with the hinge or 0-1 loss: the MILP is the problem's loss
 *    (linear-classifier.ts), so HiGHS's dual bound, converted, is a bound on the problem's loss;
 *  - a network of sign units (mlp, sign-network.ts): objective max_correct, sat_margin or
 *    min_hinge. The mlp loss (cross-entropy of batch-normalised scores) is not linear, so no
 *    `bound` is reported there; with one output unit and max_correct the model is the training
 *    error exactly and its proven bound is reported as info.trainErrorBound.
 * The weights returned are the better (by the problem's own loss) of HiGHS's incumbent and the
 * warm start (`init`), and the loss is recomputed by the problem (finishResult).
 *
 * Bounds: HiGHS works in floating point with tolerances (primal feasibility 1e-7, integrality
 * 1e-6 by default). The hinge bound is HiGHS's dual bound less 1e-6 * (1 + |bound|); the 0-1
 * bound is rounded up to the grid of multiples of 1/m after subtracting 1e-6 * m. `proven` is
 * set when HiGHS reports optimality and the recomputed loss is within that slack of the bound.
 */
import { defineSolver, type SolveOptions } from '../../src/core/solver.js';
import type { Problem } from '../../src/core/problem.js';
import { UserError } from '../../src/core/errors.js';
import { signsFromString, type Signs } from '../../src/core/signs.js';
import { finishResult } from '../common/finish.js';
import { solveMip, type MipOutcome } from './highs.js';
import { linearClassifierModel } from './linear-classifier.js';
import { objectiveIsTrainError, signNetworkModel, type NetworkObjective } from './sign-network.js';

const SLACK = 1e-6;

function startWeights(problem: Problem, init: string): Signs | undefined {
  if (init === '') return undefined;
  if (init.length !== problem.n) throw new UserError(`solver 'mip': init has ${init.length} weights, but problem '${problem.spec}' has n = ${problem.n}`);
  try {
    return signsFromString(init);
  } catch (err) {
    throw new UserError(`solver 'mip': init: ${(err as Error).message}`);
  }
}

function timeLeftS(options: SolveOptions, start: number): number | undefined {
  return options.maxTimeMs === undefined ? undefined : Math.max(0.01, (options.maxTimeMs - (performance.now() - start)) / 1000);
}

/** A lower bound on a mean 0-1 error over `rows` rows from HiGHS's dual bound. */
function errorBound(dual: number, rows: number): number {
  if (dual === -Infinity) return 0;
  return Math.max(0, Math.ceil(dual * rows - SLACK * rows) / rows);
}

function hingeBound(dual: number): number {
  return dual === -Infinity ? 0 : Math.max(0, dual - SLACK * (1 + Math.abs(dual)));
}

function outcomeInfo(out: MipOutcome, model: { numCols: number; numRows: number; indices: ArrayLike<number> }): Record<string, unknown> {
  return {
    status: out.highsStatus,
    // JSON has no -Infinity (it would print null)
    dualBound: Number.isFinite(out.dualBound) ? out.dualBound : 'none',
    ...(out.objective !== undefined ? { highsObjective: out.objective } : { incumbent: 'none found by HiGHS' }),
    nodes: out.nodes,
    highsSeconds: out.seconds,
    columns: model.numCols,
    rows: model.numRows,
    nonzeros: model.indices.length,
  };
}

/**
 * What `mip` proves a lower bound on for this problem (with this network objective): the loss
 * (teacher hinge and 0-1: the MILP is the loss), the training error (a sign network with one
 * output unit under max_correct: result.info.trainErrorBound), or nothing (undefined).
 */
export function mipBoundQuantity(problem: Problem, objective: NetworkObjective = 'max_correct'): 'loss' | 'trainError' | undefined {
  const lc = problem.linearClassifier;
  if (lc) return lc.loss === 'hinge' || lc.loss === '01' ? 'loss' : undefined;
  if (problem.signNetwork && objectiveIsTrainError(problem.signNetwork, objective)) return 'trainError';
  return undefined;
}

export const mipSolver = defineSolver({
  name: 'mip',
  summary: 'exact mixed-integer program solved by HiGHS: teacher (hinge, 0-1) with a proven bound; mlp sign networks (max_correct, sat_margin, min_hinge)',
  params: [
    { name: 'gap', type: 'number', default: 0, min: 0, max: 1, help: 'relative MIP gap at which HiGHS stops (0 = prove optimality)' },
    { name: 'objective', type: 'string', default: 'max_correct', choices: ['max_correct', 'sat_margin', 'min_hinge'], help: 'mlp only: what the network MILP optimises (teacher problems optimise their own loss)' },
    { name: 'margin', type: 'number', default: 1, min: 0, help: 'mlp sat_margin/min_hinge: the margin on the centred output pre-activation z - mu' },
    { name: 'init', type: 'string', default: '', help: "warm start: weights as '+'/'-' (solve --init FILE reads them from a result file)" },
    { name: 'log', type: 'boolean', default: false, help: "print HiGHS's log to stderr" },
  ],
  supports(problem) {
    const lc = problem.linearClassifier;
    if (lc) return lc.loss === 'hinge' || lc.loss === '01' ? true : `solver 'mip' models the hinge and 0-1 losses; '${problem.spec}' has loss ${lc.loss} (squared: use bm or exact)`;
    if (problem.signNetwork) return true;
    return `solver 'mip' needs a problem that describes itself as a linear classifier or a sign network (teacher, mlp); '${problem.kind}' does not`;
  },
  async run(problem, options, p) {
    const start = performance.now();
    const init = startWeights(problem, p.init);
    const lc = problem.linearClassifier;
    if (lc) {
      const f = linearClassifierModel({
        m: lc.m,
        n: lc.n,
        X: lc.X,
        y: lc.y,
        weights: 'binary',
        bias: false,
        objective: lc.loss === 'hinge' ? 'hinge' : 'errors',
        scale: lc.scale,
      });
      const out = await solveMip(f.model, { timeLimitS: timeLeftS(options, start), relGap: p.gap, start: init ? f.complete(init) : undefined, log: p.log });
      const candidates = [...(out.x ? [Int8Array.from(f.weightsAt(out.x))] : []), ...(init ? [init] : [])];
      const w = best(problem, candidates);
      const loss = problem.loss(w);
      const bound = lc.loss === 'hinge' ? hingeBound(out.dualBound) : errorBound(out.dualBound, lc.m);
      const proven = out.status === 'optimal' && loss <= bound + (lc.loss === 'hinge' ? 2 * SLACK * (1 + Math.abs(bound)) : 1e-12);
      return finishResult(problem, 'mip', options, w, {
        start,
        iterations: out.nodes,
        bound,
        ...(proven ? { optimum: loss, proven: true } : {}),
        info: { formulation: lc.loss === 'hinge' ? 'min_hinge (exact)' : 'max_correct (exact)', ...outcomeInfo(out, f.model), ...(init ? { warmStart: true } : {}) },
      });
    }
    const net = problem.signNetwork!;
    const f = signNetworkModel(net, p.objective, p.margin);
    const out = await solveMip(f.model, { timeLimitS: timeLeftS(options, start), relGap: p.gap, start: init ? f.complete(init) : undefined, log: p.log });
    const candidates = [...(out.x ? [f.weightsAt(out.x)] : []), ...(init ? [init] : [])];
    const w = candidates.length > 0 ? bestByError(problem, candidates) : new Int8Array(problem.n).fill(1);
    const info: Record<string, unknown> = { formulation: p.objective, ...outcomeInfo(out, f.model), ...(init ? { warmStart: true } : {}) };
    if (candidates.length === 0) info.weights = 'HiGHS found no incumbent in the time given: the weights are all +1';
    if (f.exactError) {
      const trainErrorBound = errorBound(out.dualBound, net.rows);
      info.trainErrorBound = trainErrorBound;
      const trainError = problem.score?.(w).trainError;
      info.trainErrorProven = out.status === 'optimal' && trainError !== undefined && trainError <= trainErrorBound + 1e-12;
    } else {
      info.note = net.output === 'sign' ? `objective ${p.objective} is a training objective, not the training error` : 'several outputs: the model ranks centred scores, the problem normalised ones, so no bound is claimed';
    }
    return finishResult(problem, 'mip', options, w, { start, iterations: out.nodes, info });
  },
});

function best(problem: Problem, candidates: Signs[]): Signs {
  if (candidates.length === 0) return new Int8Array(problem.n).fill(1);
  let w = candidates[0]!;
  let value = problem.loss(w);
  for (const c of candidates.slice(1)) {
    const v = problem.loss(c);
    if (v < value) {
      w = c;
      value = v;
    }
  }
  return w;
}

/** Lowest training error, then lowest loss. */
function bestByError(problem: Problem, candidates: Signs[]): Signs {
  const key = (w: Signs) => [problem.score?.(w).trainError ?? 0, problem.loss(w)] as const;
  let w = candidates[0]!;
  let k = key(w);
  for (const c of candidates.slice(1)) {
    const kc = key(c);
    if (kc[0] < k[0] || (kc[0] === k[0] && kc[1] < k[1])) {
      w = c;
      k = kc;
    }
  }
  return w;
}
