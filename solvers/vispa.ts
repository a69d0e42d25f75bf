/**
 * VISPA-style Gaussian variational training on the SDP feasible set (DESIGN.md section 1.1).
 * Each binary weight i has a unit row v_i = [m_i, z_i] in R^k (k = rank): the latent Gaussian
 * weight is w~_i = m_i + <z_i, r'> with a direction r = [1, r'], r' ~ N(0, I_(k-1)), drawn once per
 * group of weights (per layer, from the problem's weightGroups) per step, so that weights of a
 * layer are correlated through Z Z'. The binary weights are w = sign(V r) (hyperplane rounding
 * with r_0 = 1: m acts as the mean). The loss gradient g at w passes straight through sign:
 * dL/dm_i = g_i, dL/dz_i = g_i r'. Adam (or SGD with momentum) steps on V, on a cosine schedule,
 * then every row is renormalised to unit length.
 * Answer: the deterministic network sign(m) (the best one at an epoch end, by training loss) and
 * the best of `samples` networks sign(V r) drawn at the end, compared by training loss; the
 * better of the two is returned, and both are reported in info. No averaged network is ever
 * presented as a binary network.
 */
import { defineSolver } from '../src/core/solver.js';
import { UserError } from '../src/core/errors.js';
import { Rng } from '../src/numerics/rng.js';
import { adam } from '../src/optim/adam.js';
import type { Signs } from '../src/core/signs.js';
import { finishResult } from './common/finish.js';
import { RunLoop } from './common/run-loop.js';
import { cosineFactor, epochLoop, epochRecord, usesMinibatches, type EpochRecord, EPOCH_PARAMS } from './common/epochs.js';

/** Low-rank factor V (n x k, row-major, unit rows) with per-group directions. */
class Factor {
  readonly V: Float64Array;
  /** group index of each weight */
  private readonly groupOf: Int32Array;
  private readonly directions: Float64Array;

  constructor(
    readonly n: number,
    readonly k: number,
    groups: readonly number[],
    rng: Rng,
    meanScale: number,
  ) {
    this.V = new Float64Array(n * k);
    this.groupOf = new Int32Array(n);
    let at = 0;
    groups.forEach((size, g) => {
      this.groupOf.fill(g, at, at + size);
      at += size;
    });
    this.directions = new Float64Array(groups.length * k);
    for (let i = 0; i < n; i++) {
      this.V[i * k] = meanScale * rng.normal();
      for (let c = 1; c < k; c++) this.V[i * k + c] = rng.normal() / Math.sqrt(Math.max(1, k - 1));
    }
    this.normalise();
  }

  normalise(): void {
    const { V, k } = this;
    for (let i = 0; i < this.n; i++) {
      let s = 0;
      for (let c = 0; c < k; c++) s += V[i * k + c]! ** 2;
      const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
      if (inv === 0) V[i * k] = 1;
      else for (let c = 0; c < k; c++) V[i * k + c]! *= inv;
    }
  }

  /** Draws one direction [1, r'] per group. */
  drawDirections(rng: Rng): void {
    const { k, directions } = this;
    for (let g = 0; g < directions.length / k; g++) {
      directions[g * k] = 1;
      for (let c = 1; c < k; c++) directions[g * k + c] = rng.normal();
    }
  }

  /** w = sign(V r_group) into `out` (sign(0) = +1). */
  sample(out: Signs): Signs {
    const { V, k, directions, groupOf } = this;
    for (let i = 0; i < this.n; i++) {
      const r = groupOf[i]! * k;
      let s = 0;
      for (let c = 0; c < k; c++) s += V[i * k + c]! * directions[r + c]!;
      out[i] = s >= 0 ? 1 : -1;
    }
    return out;
  }

  /** sign(m). */
  mean(out: Signs): Signs {
    for (let i = 0; i < this.n; i++) out[i] = this.V[i * this.k]! >= 0 ? 1 : -1;
    return out;
  }

  /** Straight-through chain rule: dL/dV_i = g_i * r_group (r_0 = 1 gives dL/dm_i = g_i). */
  factorGradient(g: Float64Array, out: Float64Array): void {
    const { k, directions, groupOf } = this;
    for (let i = 0; i < this.n; i++) {
      const r = groupOf[i]! * k;
      for (let c = 0; c < k; c++) out[i * k + c] = g[i]! * directions[r + c]!;
    }
  }
}

export const vispaSolver = defineSolver({
  name: 'vispa',
  summary: 'VISPA-style Gaussian VI on unit rows V = [m, Z] (rank k), one hyperplane per layer per step, straight-through into m and Z',
  params: [
    { name: 'rank', type: 'int', default: 4, min: 1, help: 'k: columns of V (1 mean + k-1 covariance factors)' },
    { name: 'optimizer', type: 'string', default: 'adam', choices: ['adam', 'sgd'], help: 'Adam, or SGD with momentum' },
    { name: 'lr', type: 'number', default: 0.1, min: 0, help: 'learning rate (peak of the cosine schedule)' },
    { name: 'momentum', type: 'number', default: 0.9, min: 0, help: 'SGD momentum' },
    { name: 'schedule', type: 'string', default: 'cosine', choices: ['cosine', 'constant'], help: 'learning-rate schedule' },
    { name: 'init', type: 'number', default: 0.1, min: 0, help: 'standard deviation of the initial means m before row normalisation' },
    { name: 'samples', type: 'int', default: 16, min: 0, help: 'networks sign(V r) drawn at the end; the best on the training set is reported' },
    ...EPOCH_PARAMS,
    { name: 'iters', type: 'int', default: 500, min: 1, help: 'full-batch steps otherwise; --max-iter overrides' },
  ],
  supports: (problem) =>
    problem.lossAndGradient || problem.minibatchLossAndGradient
      ? true
      : `solver 'vispa' needs the loss gradient, which problem '${problem.spec}' does not have (try exact or local)`,
  trainsInEpochs: true,
  run(problem, options, p) {
    const loop = new RunLoop(problem, options);
    const start = loop.start;
    const { rank: k, lr, momentum } = p;
    const useAdam = p.optimizer === 'adam';
    const cosine = p.schedule === 'cosine';
    const n = problem.n;
    const rng = new Rng(options.seed, 'vispa');
    const groups = problem.weightGroups ?? [n];
    const factor = new Factor(n, k, groups, rng.fork('init'), p.init);
    const draws = rng.fork('directions');
    const opt = adam({ lr });
    const state = opt.init(n * k);
    const velocity = new Float64Array(n * k);
    const w = new Int8Array(n);
    const x = new Float64Array(n);
    const g = new Float64Array(n);
    const gV = new Float64Array(n * k);
    const stepV = new Float64Array(n * k);
    const minibatch = usesMinibatches(problem, p.batch);
    if (!minibatch && !problem.lossAndGradient) throw new UserError(`solver 'vispa' needs batch > 0 on '${problem.spec}' (it has only a minibatch gradient)`);

    /** One sampled step; returns the sampled network's loss on the rows used. */
    const update = (batch: Int32Array | null, progress: number): number => {
      factor.drawDirections(draws);
      factor.sample(w);
      x.set(w);
      const loss = batch ? problem.minibatchLossAndGradient!(x, g, batch) : problem.lossAndGradient!(x, g);
      factor.factorGradient(g, gV);
      const f = cosine ? cosineFactor(progress) : 1;
      if (useAdam) {
        opt.update(gV, state, stepV);
        for (let c = 0; c < gV.length; c++) factor.V[c]! += f * stepV[c]!;
      } else {
        for (let c = 0; c < gV.length; c++) {
          velocity[c] = momentum * velocity[c]! + gV[c]!;
          factor.V[c]! -= f * lr * velocity[c]!;
        }
      }
      factor.normalise();
      return loss;
    };

    // the run loop keeps the best mean network sign(m) seen
    loop.offer(factor.mean(new Int8Array(n)));
    const epochs: EpochRecord[] = [];
    let iterations: number;
    let epochsDone: number | undefined;
    if (minibatch) {
      const outcome = epochLoop(
        { trainSize: problem.trainSize!, epochs: p.epochs, batchSize: p.batch, rng: rng.fork('batches'), start, maxTimeMs: options.maxTimeMs },
        (batch, progress) => void update(batch, progress),
        (epoch) => {
          const mean = factor.mean(new Int8Array(n));
          const record = epochRecord(problem, epoch, mean);
          epochs.push(record);
          loop.offer(mean, record.loss);
          loop.record(epoch);
          options.onProgress?.(epoch, loop.bestLoss);
        },
      );
      iterations = outcome.steps;
      epochsDone = outcome.epochs;
    } else {
      const iters = options.maxIter ?? p.iters;
      let it = 0;
      for (; it < iters; it++) {
        update(null, it / iters);
        loop.offer(factor.mean(new Int8Array(n)));
        loop.record(it + 1);
        loop.progress(it);
        if (loop.timeUp()) {
          it++;
          break;
        }
      }
      iterations = it;
    }
    const bestMean = loop.best;
    const bestMeanLoss = loop.bestLoss;
    // best of N networks sampled from the final V, by training loss
    const sampler = rng.fork('final-samples');
    let bestSample: Signs | undefined;
    let bestSampleLoss = Infinity;
    let bestSampleIndex = -1;
    for (let s = 0; s < p.samples; s++) {
      factor.drawDirections(sampler);
      const cand = factor.sample(new Int8Array(n));
      const loss = problem.loss(cand);
      if (loss < bestSampleLoss) {
        bestSampleLoss = loss;
        bestSample = cand;
        bestSampleIndex = s;
      }
    }
    const describe = (v: Signs, loss: number) => ({ loss, ...(problem.score ? problem.score(v) : {}) });
    const sampleWins = bestSample !== undefined && bestSampleLoss < bestMeanLoss;
    const answer = sampleWins ? bestSample! : bestMean;
    return finishResult(problem, 'vispa', options, answer, {
      start,
      iterations,
      history: loop.history,
      info: {
        rank: k,
        optimizer: p.optimizer,
        lr,
        schedule: p.schedule,
        ...(minibatch ? { batch: p.batch, epochs: epochsDone, epochLog: epochs } : {}),
        answer: sampleWins ? 'best-sample' : 'mean',
        mean: describe(bestMean, bestMeanLoss),
        ...(bestSample ? { bestSample: { ...describe(bestSample, bestSampleLoss), of: p.samples, index: bestSampleIndex } } : {}),
      },
    });
  },
});
