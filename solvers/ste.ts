/**
 * Straight-through estimator baseline: real latent weights u, the forward pass uses w = sign(u),
 * the backward pass pretends sign is the identity (or the identity clipped to |u| <= 1), and Adam
 * updates u. The answer is the best binary vector seen, not the last one.
 * With `batch` > 0 on a problem that has training data (trainSize), it trains in epochs of
 * minibatches instead (the shared loop of solvers/epochs.ts, learning rate on a cosine schedule),
 * and the answer is the best sign(u) at the end of an epoch, by full training loss.
 */
import type { Problem } from '../src/core/problem.js';
import { resolveParams, type Solver, type SolveOptions } from '../src/core/solver.js';
import { UserError } from '../src/core/errors.js';
import { Rng } from '../src/numerics/rng.js';
import { adam } from '../src/optim/adam.js';
import { signOf } from '../src/core/signs.js';
import type { HistoryPoint } from '../src/core/result.js';
import { finishResult } from './common/finish.js';
import { cosineFactor, epochLoop, epochRecord, usesMinibatches, type EpochRecord, EPOCH_PARAMS } from './common/epochs.js';

export function needsGradient(problem: Problem, solver: string): true | string {
  return problem.lossAndGradient
    ? true
    : `solver '${solver}' needs the loss gradient, which problem '${problem.spec}' does not have (try exact or local)`;
}

export const steSolver: Solver = {
  name: 'ste',
  summary: 'straight-through estimator on latent weights with Adam (sign forward, identity or clipped backward)',
  params: [
    { name: 'lr', type: 'number', default: 0.01, min: 0, help: 'Adam learning rate' },
    { name: 'backward', type: 'string', default: 'clipped', choices: ['identity', 'clipped'], help: 'straight-through backward: identity, or identity clipped to |u| <= 1' },
    { name: 'iters', type: 'int', default: 500, min: 1, help: 'iterations (full-batch gradient steps); --max-iter overrides' },
    { name: 'init', type: 'number', default: 0.1, min: 0, help: 'standard deviation of the initial latent weights' },
    ...EPOCH_PARAMS,
  ],
  supports: (problem) => needsGradient(problem, 'ste'),
  solve(problem: Problem, options: SolveOptions) {
    const why = steSolver.supports(problem);
    if (why !== true) throw new UserError(why);
    const start = performance.now();
    const p = resolveParams(steSolver, options.params);
    const lr = p.lr as number;
    const clipped = p.backward === 'clipped';
    const iters = options.maxIter ?? (p.iters as number);
    const initScale = p.init as number;
    const n = problem.n;
    const rng = new Rng(options.seed, 'ste');
    const u = new Float64Array(n);
    for (let i = 0; i < n; i++) u[i] = initScale * rng.normal();
    const opt = adam({ lr });
    const state = opt.init(n);
    const x = new Float64Array(n);
    const grad = new Float64Array(n);
    const step = new Float64Array(n);
    if (usesMinibatches(problem, p.batch as number)) {
      const epochs: EpochRecord[] = [];
      let bestW = signOf(u);
      let bestLoss = Infinity;
      const outcome = epochLoop(
        { trainSize: problem.trainSize!, epochs: p.epochs as number, batchSize: p.batch as number, rng: rng.fork('batches'), start, maxTimeMs: options.maxTimeMs },
        (batch, progress) => {
          x.set(signOf(u));
          problem.minibatchLossAndGradient!(x, grad, batch);
          if (clipped) for (let i = 0; i < n; i++) if (Math.abs(u[i]!) > 1) grad[i] = 0;
          opt.update(grad, state, step);
          const f = cosineFactor(progress);
          for (let i = 0; i < n; i++) u[i]! += f * step[i]!;
        },
        (epoch) => {
          const w = signOf(u);
          const record = epochRecord(problem, epoch, w);
          epochs.push(record);
          if (record.loss < bestLoss) {
            bestLoss = record.loss;
            bestW = w;
          }
          options.onProgress?.(epoch, bestLoss);
        },
      );
      let runningBest = Infinity;
      const history = epochs.map((e) => ({ iteration: e.epoch, loss: (runningBest = Math.min(runningBest, e.loss)) }));
      return finishResult(problem, 'ste', options, bestW, {
        start,
        iterations: outcome.steps,
        history,
        info: { lr, backward: clipped ? 'clipped' : 'identity', batch: p.batch, epochs: outcome.epochs, schedule: 'cosine', epochLog: epochs },
      });
    }
    let best = signOf(u);
    let bestLoss = Infinity;
    const history: HistoryPoint[] = [];
    let it = 0;
    for (; it < iters; it++) {
      const w = signOf(u);
      x.set(w);
      problem.lossAndGradient!(x, grad);
      const loss = problem.loss(w);
      if (loss < bestLoss) {
        bestLoss = loss;
        best = w;
      }
      history.push({ iteration: it, loss: bestLoss });
      if (clipped) for (let i = 0; i < n; i++) if (Math.abs(u[i]!) > 1) grad[i] = 0;
      opt.update(grad, state, step);
      for (let i = 0; i < n; i++) u[i]! += step[i]!;
      if (options.maxTimeMs !== undefined && performance.now() - start > options.maxTimeMs) {
        it++;
        break;
      }
      if (options.onProgress && it % 100 === 0) options.onProgress(it, bestLoss);
    }
    return finishResult(problem, 'ste', options, best, { start, iterations: it, history, info: { lr, backward: clipped ? 'clipped' : 'identity' } });
  },
};
