/**
 * What the probabilistic solvers (md, bayesbinn) share: the loss they train on (the full problem,
 * or the current minibatch of a data-driven problem), the epoch-wise minibatch schedule, keeping
 * the best rounded point seen, and the final rounding of the probabilities to binary weights.
 */
import type { Problem } from '../src/problem.js';
import { UserError } from '../src/errors.js';
import type { Rng } from '../src/rng.js';
import { signOf, type Signs } from '../src/signs.js';
import type { LossTarget } from './estimators/bernoulli-chain.js';

export interface TrainingTarget {
  /** The loss the estimators see; for minibatch training it follows `next()`. */
  target: LossTarget;
  /** Moves to the next minibatch; returns true when an epoch has just been completed. */
  next(): boolean;
  /** Steps per epoch (1 in full-batch mode). */
  stepsPerEpoch: number;
  minibatch: boolean;
}

export function trainingTarget(problem: Problem, batchSize: number, rng: Rng, solver: string): TrainingTarget {
  if (batchSize === 0) return { target: problem, next: () => true, stepsPerEpoch: 1, minibatch: false };
  const size = problem.trainSize;
  const mb = problem.minibatchLossAndGradient?.bind(problem);
  if (size === undefined || !mb) {
    throw new UserError(`solver '${solver}': batch=${batchSize} needs a data-driven problem with minibatches; '${problem.spec}' has none (use batch=0)`);
  }
  const order = Int32Array.from({ length: size }, (_, i) => i);
  const stepsPerEpoch = Math.ceil(size / batchSize);
  let step = stepsPerEpoch; // forces a shuffle before the first batch
  let batch = order.subarray(0, 0);
  const x = new Float64Array(problem.n);
  const scratch = new Float64Array(problem.n);
  const target: LossTarget = {
    n: problem.n,
    loss(w) {
      x.set(w);
      return mb(x, scratch, batch);
    },
    lossAndGradient: (xr, grad) => mb(xr, grad, batch),
  };
  return {
    target,
    stepsPerEpoch,
    minibatch: true,
    next() {
      if (step === stepsPerEpoch) {
        rng.shuffle(order);
        step = 0;
      }
      batch = order.subarray(step * batchSize, Math.min(size, (step + 1) * batchSize));
      step++;
      return step === stepsPerEpoch;
    },
  };
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
