/**
 * The one training loop that every data-driven solver (ste, vispa, md, bayesbinn) runs on
 * classifier problems, so that they get exactly the same budget: `epochs` passes over the
 * training set in seeded random order, in minibatches of `batchSize` rows (a last partial batch
 * of at least 2 rows is kept; batch-norm statistics need 2). The solver supplies the update
 * (`step`) and what to do at the end of each epoch (evaluate its current binary network).
 */
import type { ParamSpec } from '../../src/core/solver.js';
import type { Problem } from '../../src/core/problem.js';
import type { RunLoop } from './run-loop.js';
import type { SolveOptions } from '../../src/core/solver.js';
import type { Rng } from '../../src/numerics/rng.js';
import type { Signs } from '../../src/core/signs.js';

export interface EpochLoopOptions {
  trainSize: number;
  epochs: number;
  batchSize: number;
  /** the stream that orders the rows (fork it from the solver's seed) */
  rng: Rng;
  /** performance.now() at the start of the solve, with the wall-clock budget in ms */
  start: number;
  maxTimeMs?: number;
}

export interface EpochLoopOutcome {
  epochs: number;
  steps: number;
  stoppedByTime: boolean;
}

/** Whether the problem can be trained in minibatches and the solver was asked to. */
export function usesMinibatches(problem: Problem, batchSize: number): boolean {
  return batchSize > 0 && problem.trainSize !== undefined && problem.minibatchLossAndGradient !== undefined;
}

/**
 * How many steps the loop takes: `perEpoch` minibatches per epoch, `total` in all (what a
 * learning-rate schedule of src/optim/schedules.ts is built with).
 */
export function epochSteps(trainSize: number, batchSize: number, epochs: number): { batchSize: number; perEpoch: number; total: number } {
  const size = Math.min(batchSize, trainSize);
  const tail = trainSize % size;
  const perEpoch = Math.floor(trainSize / size) + (tail >= 2 ? 1 : 0);
  return { batchSize: size, perEpoch, total: perEpoch * epochs };
}

/**
 * Runs the epochs. `step(batch, progress)` gets the row indices of one minibatch and the
 * fraction of all steps done before it; `endOfEpoch(epoch)` is called after each
 * complete epoch (1-based). Stops early, after a complete step, when the time budget is spent.
 */
export function epochLoop(
  options: EpochLoopOptions,
  step: (batch: Int32Array, progress: number) => void,
  endOfEpoch: (epoch: number) => void,
): EpochLoopOutcome {
  const { trainSize, epochs, rng, start, maxTimeMs } = options;
  const { batchSize, perEpoch, total } = epochSteps(trainSize, options.batchSize, epochs);
  const order = Int32Array.from({ length: trainSize }, (_, i) => i);
  let steps = 0;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    rng.shuffle(order);
    for (let s = 0; s < perEpoch; s++) {
      const batch = order.subarray(s * batchSize, Math.min(trainSize, (s + 1) * batchSize));
      step(batch, steps / total);
      steps++;
      if (maxTimeMs !== undefined && performance.now() - start > maxTimeMs) {
        endOfEpoch(epoch);
        return { epochs: epoch, steps, stoppedByTime: true };
      }
    }
    endOfEpoch(epoch);
  }
  return { epochs, steps, stoppedByTime: false };
}

/** What a solver records about its binary network after each epoch (for accuracy-vs-epoch plots). */
export interface EpochRecord {
  epoch: number;
  loss: number;
  trainError?: number;
  testError?: number;
}

export function epochRecord(problem: Problem, epoch: number, w: Signs, loss = problem.loss(w)): EpochRecord {
  return { epoch, loss, ...(problem.score ? problem.score(w) : {}) };
}

/**
 * The end of an epoch for a solver that answers with its best network by training loss: logs the
 * network's record, offers it to the run loop, records the best-so-far history and reports
 * progress. One place for what ste, int, vispa, md and bayesbinn do after each epoch.
 */
export function endEpoch(loop: RunLoop, problem: Problem, options: SolveOptions, epoch: number, w: Signs, log: EpochRecord[]): void {
  const record = epochRecord(problem, epoch, w);
  log.push(record);
  loop.offer(w, record.loss);
  loop.record(epoch);
  options.onProgress?.(epoch, loop.bestLoss);
}

/**
 * The parameters of every solver that trains in epochs (such a solver also declares
 * `trainsInEpochs: true`), declared once here.
 */
export const EPOCH_PARAMS = [
  { name: 'batch', type: 'int', default: 0, min: 0, help: 'minibatch size on problems with training data (0 = full batch, iteration by iteration)' },
  { name: 'epochs', type: 'int', default: 10, min: 1, help: 'epochs when training in minibatches' },
] as const satisfies readonly ParamSpec[];
