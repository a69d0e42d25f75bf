/**
 * What the probabilistic solvers (md, bayesbinn) share: the loss they train on in epochs (the
 * current minibatch of a data-driven problem; the epochs themselves are the shared loop of
 * solvers/epochs.ts), keeping the best rounded point seen, and the final rounding of the
 * probabilities to binary weights.
 */
import type { Problem } from '../src/problem.js';
import { UserError } from '../src/errors.js';
import type { Rng } from '../src/rng.js';
import { signOf, type Signs } from '../src/signs.js';
import type { LossTarget } from './estimators/bernoulli-chain.js';

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

/** The best binary point seen so far, by the full problem's loss. */
export class BestPoint {
  w: Signs;
  loss = Infinity;
  constructor(private readonly problem: Problem) {
    this.w = new Int8Array(problem.n).fill(1);
  }

  offer(w: Signs): number {
    const loss = this.problem.loss(w);
    if (loss < this.loss) {
      this.loss = loss;
      this.w = Int8Array.from(w);
    }
    return loss;
  }

  /** sign(mean) of the logits: w_i = +1 where P(w_i = +1) >= 1/2. */
  offerSignOf(logits: Float64Array): number {
    return this.offer(signOf(logits));
  }

  /** Draws `count` vectors from Bern(sigmoid(logits)) and keeps the best. */
  offerSamples(logits: Float64Array, count: number, rng: Rng): void {
    const w = new Int8Array(logits.length);
    for (let s = 0; s < count; s++) {
      for (let i = 0; i < w.length; i++) w[i] = rng.float() * (1 + Math.exp(-logits[i]!)) < 1 ? 1 : -1;
      this.offer(w);
    }
  }
}

export const ROUNDING_CHOICES = ['sign', 'sample'] as const;
