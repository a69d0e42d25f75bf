/**
 * Straight-through estimator baseline: real latent weights u, the forward pass uses w = sign(u),
 * the backward pass pretends sign is the identity (or the identity clipped to |u| <= 1), and Adam
 * updates u. The answer is the best binary vector seen, not the last one.
 * With `batch` > 0 on a problem that has training data (trainSize), it trains in epochs of
 * minibatches instead (the shared loop of solvers/epochs.ts, learning rate on a cosine schedule),
 * and the answer is the best sign(u) at the end of an epoch, by full training loss.
 */
import { defineSolver } from '../src/core/solver.js';
import { Rng } from '../src/numerics/rng.js';
import { ADAM_DEFAULTS, adamCorrections, adamEntry, adamInit, scaleByAdam } from '../src/optim/adam.js';
import { applyUpdates } from '../src/optim/transform.js';
import { cosineDecay } from '../src/optim/schedules.js';
import { signOf } from '../src/core/signs.js';
import { finishResult } from './common/finish.js';
import { endEpoch, epochLoop, epochSteps, usesMinibatches, type EpochRecord, EPOCH_PARAMS } from './common/epochs.js';
import { needsGradient } from './common/requirements.js';
import { RunLoop } from './common/run-loop.js';

/** min(max(v, -c), c): a latent weight kept within reach of a sign flip. */
function clampTo(v: number, c: number): number {
  return Math.min(c, Math.max(-c, v));
}

export const steSolver = defineSolver({
  name: 'ste',
  summary: 'straight-through estimator on latent weights with Adam (sign forward, identity or clipped backward)',
  params: [
    { name: 'lr', type: 'number', default: 0.01, min: 0, help: 'Adam learning rate' },
    { name: 'backward', type: 'string', default: 'clipped', choices: ['identity', 'clipped'], help: 'straight-through backward: identity, or identity clipped to |u| <= 1' },
    { name: 'iters', type: 'int', default: 500, min: 1, help: 'iterations (full-batch gradient steps); --max-iter overrides' },
    { name: 'init', type: 'number', default: 0.1, min: 0, help: 'standard deviation of the initial latent weights' },
    { name: 'clamp', type: 'number', default: 0, min: 0, help: 'clamp the latent weights to [-clamp, clamp] after every step (BinaryConnect, and BayesBiNN\'s STE baseline: 1); 0 = never' },
    ...EPOCH_PARAMS,
  ],
  trainsInEpochs: true,
  supports: (problem) => needsGradient(problem, 'ste'),
  run(problem, options, p) {
    const loop = new RunLoop(problem, options);
    const start = loop.start;
    const lr = p.lr;
    const clipped = p.backward === 'clipped';
    const iters = options.maxIter ?? p.iters;
    const initScale = p.init;
    const clamp = p.clamp;
    const n = problem.n;
    const rng = new Rng(options.seed, 'ste');
    const u = new Float64Array(n);
    for (let i = 0; i < n; i++) u[i] = initScale * rng.normal();
    const x = new Float64Array(n);
    const grad = new Float64Array(n);
    if (usesMinibatches(problem, p.batch)) {
      // Adam with the learning rate on a cosine from lr to 0 over all minibatch steps: the
      // arithmetic of chain(scaleByAdam({ lr }), scaleBySchedule(cosine)) and applyUpdates, fused
      // with the clipping, the clamp and the next sign into one pass over the weights (the same
      // numbers in the same order, so the same bits; 1.5-2x faster than the five passes of the
      // chain at a million weights: bench/RESULTS.md)
      const { total } = epochSteps(problem.trainSize!, p.batch, p.epochs);
      const schedule = cosineDecay({ init: 1, steps: total });
      const state = adamInit(n);
      const { beta1, beta2, eps } = ADAM_DEFAULTS;
      let count = 0;
      // sign(u) straight into x: +(u >= 0) * 2 - 1 is the same value as u >= 0 ? 1 : -1 (-0 gives
      // 1, NaN -1) without a branch that random signs mispredict (4x faster)
      for (let i = 0; i < n; i++) x[i] = +(u[i]! >= 0) * 2 - 1;
      const epochs: EpochRecord[] = [];
      const outcome = epochLoop(
        { trainSize: problem.trainSize!, epochs: p.epochs, batchSize: p.batch, rng: rng.fork('batches'), start, maxTimeMs: options.maxTimeMs },
        (batch) => {
          problem.minibatchLossAndGradient!(x, grad, batch);
          const { c1, c2 } = adamCorrections(state, beta1, beta2);
          const f = schedule(count++);
          for (let i = 0; i < n; i++) {
            const ui = u[i]!;
            const g = clipped && Math.abs(ui) > 1 ? 0 : grad[i]!;
            let next = ui + f * adamEntry(state, i, g, lr, beta1, beta2, eps, c1, c2);
            if (clamp > 0) next = clampTo(next, clamp);
            u[i] = next;
            x[i] = +(next >= 0) * 2 - 1;
          }
        },
        (epoch) => endEpoch(loop, problem, options, epoch, signOf(u), epochs),
      );
      return finishResult(problem, 'ste', options, loop.best, {
        start,
        iterations: outcome.steps,
        history: loop.history,
        info: { lr, backward: clipped ? 'clipped' : 'identity', ...(clamp > 0 ? { clamp } : {}), batch: p.batch, epochs: outcome.epochs, schedule: 'cosine', epochLog: epochs },
      });
    }
    const opt = scaleByAdam({ lr });
    const state = opt.init(n);
    let it = 0;
    for (; it < iters; it++) {
      const w = signOf(u);
      x.set(w);
      problem.lossAndGradient!(x, grad);
      loop.offer(w);
      loop.record(it);
      if (clipped) for (let i = 0; i < n; i++) if (Math.abs(u[i]!) > 1) grad[i] = 0;
      opt.update(grad, state, u);
      applyUpdates(u, grad);
      if (clamp > 0) for (let i = 0; i < n; i++) u[i] = clampTo(u[i]!, clamp);
      if (loop.timeUp()) {
        it++;
        break;
      }
      loop.progress(it);
    }
    return finishResult(problem, 'ste', options, loop.best, { start, iterations: it, history: loop.history, info: { lr, backward: clipped ? 'clipped' : 'identity' } });
  },
});
