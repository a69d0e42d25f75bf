/**
 * ST-BiSNN (Jang, Skatchkovsky & Simeone 2020, "BiSNN"; kclip/BayesBiSNN optimizer/STBiSNN.py):
 * real latent weights u, the network runs on w = sign(u), and the surrogate gradient g taken at
 * w updates the latent weights by plain SGD,
 *   u <- u - lr g,
 * the straight-through rule with no Adam and no clipping (ste.ts is the Adam-and-clipping
 * version of the same idea; the two coincide in w = sign(u) and g evaluated at w). Latent
 * weights start at +-init (the authors: +-10 with probability p0 = 1/2).
 *
 * Scaling to our loop: the authors update after every time step t >= burnin of a minibatch;
 * the snn problem's loss sums the per-step losses, so one update here moves u by the sum of the
 * per-step gradients at fixed weights: the authors' lr 750 per step carries over unchanged.
 * Trains in epochs (solvers/common/epochs.ts); the answer is the last sign(u), as the authors
 * use it. Every `eval` epochs (and at the end) the binary network's loss and errors are logged.
 */
import { defineSolver, type SolveOptions } from '../src/core/solver.js';
import type { Problem } from '../src/core/problem.js';
import { Rng } from '../src/numerics/rng.js';
import { signOf, type Signs } from '../src/core/signs.js';
import { calibration } from '../src/numerics/calibration.js';
import { finishResult } from './common/finish.js';
import { epochLoop, epochRecord, EPOCH_PARAMS, type EpochRecord } from './common/epochs.js';
import { checkRequirements, needsGradient, type Requirement } from './common/requirements.js';

/**
 * BiSNN trains spiking networks in minibatches, with the paper's settings for them (lr 750 is
 * meaningless on a network without the spiking scales): snn problems only.
 */
export const needsSpikingNetwork: Requirement = (problem, solver) =>
  problem.kind === 'snn' && problem.trainSize !== undefined && problem.minibatchLossAndGradient
    ? true
    : `solver '${solver}' trains spiking networks with binary synapses (snn problems, e.g. snn:data=moons); '${problem.kind}' is not one`;

export function bisnnSupports(problem: Problem, solver: string): true | string {
  return checkRequirements(problem, solver, [needsGradient, needsSpikingNetwork]);
}

/** Test accuracy and calibration of one binary network, where the problem gives probabilities. */
export function predictiveFacts(problem: Problem, w: Signs): Record<string, number> | undefined {
  if (!problem.classProbabilities || !problem.labelsOf) return undefined;
  const labels = problem.labelsOf('test');
  if (labels.length === 0) return undefined;
  const probs = problem.classProbabilities(w, 'test');
  const cal = calibration(probs, labels, probs.length / labels.length);
  return { testAccuracy: cal.accuracy, ece: cal.ece };
}

/** The epoch log at every `every` epochs and the last one: the binary network's loss and errors. */
export function evaluationSchedule(problem: Problem, every: number, epochs: number, current: () => Signs, options: SolveOptions) {
  const log: EpochRecord[] = [];
  return {
    log,
    endOfEpoch(epoch: number): void {
      if (epoch % every !== 0 && epoch !== epochs) return;
      const record = epochRecord(problem, epoch, current());
      log.push(record);
      options.onProgress?.(epoch, record.loss);
    },
  };
}

export const BISNN_ST_PAPER = { lr: 750, batch: 32, epochs: 5000, init: 10 } as const;

export const bisnnStSolver = defineSolver({
  name: 'bisnn-st',
  summary: 'ST-BiSNN: latent weights, sign forward, surrogate gradient, plain SGD (Jang et al. 2020)',
  params: [
    { name: 'lr', type: 'number', default: BISNN_ST_PAPER.lr, min: 0, help: 'SGD learning rate on the latent weights (paper: 750)' },
    { name: 'init', type: 'number', default: BISNN_ST_PAPER.init, min: 0, help: 'initial |u|, random signs with p0 = 1/2 (paper: 10)' },
    { name: 'eval', type: 'int', default: 10, min: 1, help: 'evaluate the binary network every this many epochs (and at the end)' },
    { ...EPOCH_PARAMS[0], default: BISNN_ST_PAPER.batch, min: 1, help: `minibatch size (paper: ${BISNN_ST_PAPER.batch})` },
    { ...EPOCH_PARAMS[1], default: 100, help: `epochs (paper: ${BISNN_ST_PAPER.epochs}; scaled down for a small machine)` },
  ],
  trainsInEpochs: true,
  supports: (problem) => bisnnSupports(problem, 'bisnn-st'),
  run(problem, options, p) {
    const start = performance.now();
    const n = problem.n;
    const rng = new Rng(options.seed, 'bisnn-st');
    const initRng = rng.fork('init');
    const u = Float64Array.from({ length: n }, () => p.init * initRng.sign());
    const w = new Float64Array(n);
    const grad = new Float64Array(n);
    const schedule = evaluationSchedule(problem, p.eval, p.epochs, () => signOf(u), options);
    const outcome = epochLoop(
      { trainSize: problem.trainSize!, epochs: p.epochs, batchSize: p.batch, rng: rng.fork('batches'), start, maxTimeMs: options.maxTimeMs },
      (batch) => {
        for (let i = 0; i < n; i++) w[i] = u[i]! >= 0 ? 1 : -1;
        problem.minibatchLossAndGradient!(w, grad, batch);
        for (let i = 0; i < n; i++) u[i]! -= p.lr * grad[i]!;
      },
      (epoch) => schedule.endOfEpoch(epoch),
    );
    const final = signOf(u);
    const facts = predictiveFacts(problem, final);
    return finishResult(problem, 'bisnn-st', options, final, {
      start,
      iterations: outcome.steps,
      history: schedule.log.map((e) => ({ iteration: e.epoch, loss: e.loss })),
      info: { lr: p.lr, init: p.init, batch: p.batch, epochs: outcome.epochs, epochLog: schedule.log, ...(facts ? { map: facts } : {}) },
    });
  },
});
