/**
 * What the probabilistic solvers (md, bayesbinn) share: the loss they train on in epochs (the
 * current minibatch of a data-driven problem; the epochs themselves are the shared loop of
 * solvers/epochs.ts), keeping the best rounded point seen (solvers/common/run-loop.ts), and the final rounding of the
 * probabilities to binary weights.
 */
import type { Problem } from '../../src/core/problem.js';
import { UserError } from '../../src/core/errors.js';
import type { Rng } from '../../src/numerics/rng.js';
import { signOf } from '../../src/core/signs.js';
import type { LossTarget } from '../estimators/bernoulli-chain.js';
import type { SolveOptions } from '../../src/core/solver.js';
import { endEpoch, epochLoop, type EpochRecord } from './epochs.js';
import type { RunLoop } from './run-loop.js';
import type { SolverResult } from '../../src/core/result.js';
import type { WeightDistribution } from '../../src/xnor/bnn-forward.js';

/**
 * The distribution a probabilistic solver (vispa, md, bayesbinn) learnt, kept beside its result
 * without entering it (results are printed and written as JSON; a distribution is n numbers or
 * more): `train --save` asks for it with `distributionOf`.
 */
const distributions = new WeakMap<SolverResult, WeightDistribution>();

export function withDistribution(result: SolverResult, distribution: WeightDistribution): SolverResult {
  distributions.set(result, distribution);
  return result;
}

export function distributionOf(result: SolverResult): WeightDistribution | undefined {
  return distributions.get(result);
}

/**
 * The loss the estimators see while a probabilistic solver trains in epochs: the problem's
 * minibatch loss on the rows of `batch`, which the shared epoch loop (solvers/epochs.ts) sets
 * before each step. Throws a UserError when batch > 0 is asked of a problem without minibatches.
 */
export interface MinibatchTarget extends LossTarget {
  batch: Int32Array;
}

export function minibatchTarget(problem: Problem, batchSize: number, solver: string): MinibatchTarget {
  const mb = problem.minibatchLossAndGradient?.bind(problem);
  if (problem.trainSize === undefined || !mb) {
    throw new UserError(`solver '${solver}': batch=${batchSize} needs a data-driven problem with minibatches; '${problem.spec}' has none (use batch=0)`);
  }
  const x = new Float64Array(problem.n);
  const scratch = new Float64Array(problem.n);
  const target: MinibatchTarget = {
    n: problem.n,
    batch: new Int32Array(0),
    loss(w) {
      x.set(w);
      return mb(x, scratch, target.batch);
    },
    lossAndGradient: (xr, grad) => mb(xr, grad, target.batch),
  };
  return target;
}

/** Draws `count` vectors from Bern(sigmoid(logits)) and offers each to the run's best point. */
export function offerSamples(loop: RunLoop, logits: Float64Array, count: number, rng: Rng): void {
  const w = new Int8Array(logits.length);
  for (let s = 0; s < count; s++) {
    for (let i = 0; i < w.length; i++) w[i] = rng.float() * (1 + Math.exp(-logits[i]!)) < 1 ? 1 : -1;
    loop.offer(w);
  }
}

export const ROUNDING_CHOICES = ['sign', 'sample'] as const;

export interface UpdateRun {
  /** update steps taken */
  iterations: number;
  /** per-epoch records (minibatch training only) */
  epochs: EpochRecord[];
  /** epochs completed (minibatch training only) */
  epochsDone?: number;
}

/**
 * Stops a run whose parameters overflowed (a learning rate far too large, a zero guard): its
 * signs would be meaningless, so no weights are returned.
 */
function ensureFinite(solver: string, params: Float64Array, step: number): void {
  for (let i = 0; i < params.length; i++) {
    if (!Number.isFinite(params[i]!)) {
      throw new UserError(`solver '${solver}': parameter ${i} became ${params[i]} at step ${step + 1}; lower lr (or raise eps / temperature)`);
    }
  }
}

/**
 * Drives a probabilistic solver's `update(t)`: in epochs over minibatches through the shared loop
 * when `minibatch` is given (offering sign(params) to the run loop at each epoch end), otherwise
 * `iters` full steps (offering sign(params) after each). History and progress are recorded alike.
 */
export function runUpdates(run: {
  /** the solver's name, for the error when its parameters stop being finite numbers */
  solver: string;
  problem: Problem;
  options: SolveOptions;
  params: Float64Array;
  update: (t: number) => void;
  loop: RunLoop;
  minibatch?: MinibatchTarget;
  batchSize: number;
  epochs: number;
  iters: number;
  rng: Rng;
}): UpdateRun {
  const { problem, options, params, update, loop, minibatch } = run;
  const start = loop.start;
  let it = 0;
  const epochs: EpochRecord[] = [];
  if (minibatch) {
    const outcome = epochLoop(
      { trainSize: problem.trainSize!, epochs: run.epochs, batchSize: run.batchSize, rng: run.rng.fork('batches'), start, maxTimeMs: options.maxTimeMs },
      (batch) => {
        minibatch.batch = batch;
        update(it);
        ensureFinite(run.solver, params, it++);
      },
      (epoch) => endEpoch(loop, problem, options, epoch, signOf(params), epochs),
    );
    return { iterations: it, epochs, epochsDone: outcome.epochs };
  }
  for (; it < run.iters; it++) {
    update(it);
    ensureFinite(run.solver, params, it);
    loop.offer(signOf(params));
    loop.record(it + 1);
    loop.progress(it);
    if (loop.timeUp()) {
      it++;
      break;
    }
  }
  return { iterations: it, epochs };
}
