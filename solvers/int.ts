/**
 * `int`: integer-only training of binary MLPs (solvers/int/trainer.ts: int8/int16 saturating
 * latent counters, XNOR-popcount forward, integer thresholds instead of batch norm, integer
 * hinge errors and straight-through integer backward). Trains in epochs through the shared loop
 * (solvers/common/epochs.ts) with the same budget as ste; the answer is the best binary network
 * at an epoch end by the problem's training loss, as for ste. The result's info records the
 * training state's bytes per weight.
 */
import { defineSolver } from '../src/core/solver.js';
import { Rng } from '../src/numerics/rng.js';
import { finishResult } from './common/finish.js';
import { endEpoch, epochLoop, EPOCH_PARAMS, type EpochRecord } from './common/epochs.js';
import { RunLoop } from './common/run-loop.js';
import { IntTrainer } from './int/trainer.js';

export const intSolver = defineSolver({
  name: 'int',
  summary: 'integer-only training: int8/int16 latent counters, XNOR forward, integer thresholds and errors, no floating point in the step',
  params: [
    { name: 'bits', type: 'string', default: '16', choices: ['8', '16'], help: 'latent counter width: int8 (|h| <= 127) or int16 (|h| <= 32767)' },
    { name: 'shift', type: 'int', default: 0, min: 0, max: 30, help: 'right shift of the summed integer gradient (learning rate 2^-shift)' },
    { name: 'anneal', type: 'int', default: 2, min: 0, max: 30, help: 'extra shift added in equal steps over the epochs (the integer learning-rate decay)' },
    { name: 'init', type: 'int', default: 8, min: 0, help: 'initial latent values uniform in [-init, init]' },
    { name: 'margin', type: 'int', default: -1, min: -1, help: 'hinge margin on the integer output scores (-1: 2 ceil(sqrt(fan-in of the last layer)))' },
    { ...EPOCH_PARAMS[0], default: 100, min: 2, help: 'minibatch size (>= 2: thresholds are batch statistics)' },
    EPOCH_PARAMS[1],
  ],
  trainsInEpochs: true,
  supports: (problem) =>
    problem.binaryNetwork && problem.trainSize !== undefined
      ? true
      : `solver 'int' runs binary MLPs itself and needs their layers and binarised training rows (mlp problems); '${problem.kind}' has none`,
  run(problem, options, p) {
    const loop = new RunLoop(problem, options);
    const net = problem.binaryNetwork!;
    const last = net.layers[net.layers.length - 1]!;
    const margin = p.margin >= 0 ? p.margin : 2 * Math.ceil(Math.sqrt(last.inputs));
    const rng = new Rng(options.seed, 'int');
    const trainer = new IntTrainer(net, { bits: p.bits === '8' ? 8 : 16, shift: p.shift, init: p.init, margin }, rng.fork('init'));
    const epochs: EpochRecord[] = [];
    const outcome = epochLoop(
      { trainSize: problem.trainSize!, epochs: p.epochs, batchSize: p.batch, rng: rng.fork('batches'), start: loop.start, maxTimeMs: options.maxTimeMs },
      (batch) => trainer.step(batch),
      (epoch) => {
        // epoch e of E trains the next epoch at shift + floor(anneal * e / E): integer decay
        trainer.shift = p.shift + Math.floor((p.anneal * epoch) / p.epochs);
        endEpoch(loop, problem, options, epoch, trainer.weights(problem.n), epochs);
      },
    );
    return finishResult(problem, 'int', options, loop.best, {
      start: loop.start,
      iterations: outcome.steps,
      history: loop.history,
      info: {
        bits: Number(p.bits),
        shift: p.shift,
        anneal: p.anneal,
        margin,
        batch: p.batch,
        epochs: outcome.epochs,
        stateBytesPerWeight: trainer.stateBytesPerWeight,
        epochLog: epochs,
      },
    });
  },
});
