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
import { scaleByAdam } from '../src/optim/adam.js';
import { addDecayedWeights, trace } from '../src/optim/momentum.js';
import { constantSchedule, cosineDecay, scale, scaleByLearningRate, scaleBySchedule, warmupCosineDecay, type Schedule } from '../src/optim/schedules.js';
import { applyUpdates, chain } from '../src/optim/transform.js';
import type { Signs } from '../src/core/signs.js';
import { finishResult } from './common/finish.js';
import { withDistribution } from './common/probability-training.js';
import { RunLoop } from './common/run-loop.js';
import { endEpoch, epochLoop, epochSteps, usesMinibatches, type EpochRecord, EPOCH_PARAMS } from './common/epochs.js';

/** Low-rank factor V (n x k, row-major, unit rows) with per-group directions. */
class Factor {
  readonly V: Float64Array;
  /** group index of each weight */
  private readonly groupOf: Int32Array;
  private readonly directions: Float64Array;

  /**
   * `start.kind` 'ours': m ~ N(0, meanScale^2), z ~ N(0, I / (k - 1)), then unit rows (near
   * maximum entropy for a small meanScale). 'xavier': the authors' start (sdp_wo_entropy.py,
   * xavier_normal_ on M (out x in) and on Z (K x out x in), then rows [m, z / sqrt(S)] normalised):
   * std sqrt(2 / (in + out)) for m and sqrt(2 / ((out + K) in)) for z, nearly deterministic.
   */
  constructor(
    readonly n: number,
    readonly k: number,
    readonly groups: readonly number[],
    rng: Rng,
    start: { kind: 'ours'; meanScale: number } | { kind: 'xavier'; S: number; shapes: readonly { outputs: number; inputs: number }[] },
  ) {
    this.V = new Float64Array(n * k);
    this.groupOf = new Int32Array(n);
    let at = 0;
    groups.forEach((size, g) => {
      this.groupOf.fill(g, at, at + size);
      at += size;
    });
    this.directions = new Float64Array(groups.length * k);
    if (start.kind === 'ours') {
      for (let i = 0; i < n; i++) {
        this.V[i * k] = start.meanScale * rng.normal();
        for (let c = 1; c < k; c++) this.V[i * k + c] = rng.normal() / Math.sqrt(Math.max(1, k - 1));
      }
    } else {
      const K = k - 1;
      for (let i = 0; i < n; i++) {
        const { outputs, inputs } = start.shapes[this.groupOf[i]!]!;
        this.V[i * k] = Math.sqrt(2 / (inputs + outputs)) * rng.normal();
        const zStd = Math.sqrt(2 / ((outputs + K) * inputs));
        for (let c = 1; c < k; c++) this.V[i * k + c] = (zStd * rng.normal()) / Math.sqrt(start.S);
      }
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

/** snownus/bnn_vi, benchmark/Benchmark_cifar10_vggsmall_1w1a.sh with main_sdp_cifar.py and models/sdp_wo_entropy.py. */
export const VISPA_PAPER = { rank: 5, S: 100, optimizer: 'sgd', lr: 0.5, momentum: 0.9, decay: 1e-5, schedule: 'warmup-cosine', warmup: 5, start: 'xavier' } as const;

export const vispaSolver = defineSolver({
  name: 'vispa',
  summary: 'VISPA-style Gaussian VI on unit rows V = [m, Z] (rank k), one hyperplane per layer per step, straight-through into m and Z',
  params: [
    { name: 'rank', type: 'int', default: 4, min: 1, help: "k: columns of V (1 mean + k-1 covariance factors; the authors' K + 1, paper 5)" },
    { name: 'S', type: 'number', default: 1, above: 0, help: "variance scale: r ~ N(0, I/S) and the Z gradient times sqrt(S), in row coordinates a Z step 1/sqrt(S) of the m step (paper 100)" },
    { name: 'optimizer', type: 'string', default: 'adam', choices: ['adam', 'sgd'], help: 'Adam, or SGD with momentum (paper sgd)' },
    { name: 'lr', type: 'number', default: 0.1, min: 0, help: 'learning rate (peak of the schedule; paper 0.5)' },
    { name: 'momentum', type: 'number', default: 0.9, min: 0, below: 1, help: 'SGD momentum (paper 0.9)' },
    { name: 'decay', type: 'number', default: 0, min: 0, help: 'weight decay added to the gradient (paper 1e-5)' },
    { name: 'schedule', type: 'string', default: 'cosine', choices: ['cosine', 'constant', 'warmup-cosine'], help: 'learning-rate schedule (paper warmup-cosine)' },
    { name: 'warmup', type: 'int', default: 5, min: 0, help: 'warm-up epochs (steps in full batch) of warmup-cosine (paper 5)' },
    { name: 'start', type: 'string', default: 'ours', choices: ['ours', 'xavier'], help: 'initial V: ours (near maximum entropy) or the authors\' Xavier normal (paper xavier)' },
    { name: 'init', type: 'number', default: 0.1, min: 0, help: 'start=ours: standard deviation of the initial means m before row normalisation' },
    { name: 'samples', type: 'int', default: 16, min: 0, help: 'networks sign(V r) drawn at the end; the best on the training set is reported' },
    ...EPOCH_PARAMS,
    { name: 'iters', type: 'int', default: 500, min: 1, help: 'full-batch steps otherwise; --max-iter overrides' },
    {
      name: 'preset',
      type: 'string',
      default: 'ours',
      choices: ['ours', 'paper'],
      help: "paper: snownus/bnn_vi's CIFAR-10 benchmark (rank 5, S 100, sgd, lr 0.5, momentum 0.9, decay 1e-5, warmup-cosine 5, xavier) for each of these left at our default",
    },
  ],
  supports: (problem) =>
    problem.lossAndGradient || problem.minibatchLossAndGradient
      ? true
      : `solver 'vispa' needs the loss gradient, which problem '${problem.spec}' does not have (try exact or local)`,
  trainsInEpochs: true,
  run(problem, options, resolved) {
    const loop = new RunLoop(problem, options);
    const start = loop.start;
    const p = { ...resolved } as { -readonly [K in keyof typeof resolved]: (typeof resolved)[K] };
    if (p.preset === 'paper') {
      // runSolver hands over every parameter resolved, so the preset replaces those still at our default
      const table = p as Record<string, unknown>;
      for (const [key, value] of Object.entries(VISPA_PAPER)) {
        if (table[key] === vispaSolver.params.find((q) => q.name === key)!.default) table[key] = value;
      }
    }
    const { rank: k, lr, momentum } = p;
    const useAdam = p.optimizer === 'adam';
    const n = problem.n;
    const rng = new Rng(options.seed, 'vispa');
    const groups = problem.weightGroups ?? [n];
    const shapes = problem.weightShapes ?? groups.map((size) => ({ outputs: 1, inputs: size }));
    const factor = new Factor(n, k, groups, rng.fork('init'), p.start === 'xavier' ? { kind: 'xavier', S: p.S, shapes } : { kind: 'ours', meanScale: p.init });
    const draws = rng.fork('directions');
    const w = new Int8Array(n);
    const x = new Float64Array(n);
    const g = new Float64Array(n);
    const gV = new Float64Array(n * k);
    const minibatch = usesMinibatches(problem, p.batch);
    if (!minibatch && !problem.lossAndGradient) throw new UserError(`solver 'vispa' needs batch > 0 on '${problem.spec}' (it has only a minibatch gradient)`);
    const plan = minibatch ? epochSteps(problem.trainSize!, p.batch, p.epochs) : { perEpoch: 1, total: options.maxIter ?? p.iters };
    const steps = plan.total;
    const schedule = (peak: number): Schedule =>
      p.schedule === 'cosine'
        ? cosineDecay({ init: peak, steps })
        : p.schedule === 'warmup-cosine'
          ? warmupCosineDecay({ peak, warmupSteps: p.warmup * plan.perEpoch, steps })
          : constantSchedule(peak);
    // in row coordinates [m, z / sqrt(S)] the authors' sqrt(S)-scaled Z gradient is the plain one over sqrt(S)
    const columnScale = new Float64Array(n * k).fill(1);
    for (let i = 0; i < n; i++) for (let c = 1; c < k; c++) columnScale[i * k + c] = 1 / Math.sqrt(p.S);
    const pre = [...(p.S !== 1 ? [scale(columnScale)] : []), ...(p.decay > 0 ? [addDecayedWeights(p.decay)] : [])];
    // Adam carries the learning rate itself (a multiplier schedule follows); SGD + momentum is
    // followed by the learning-rate schedule
    const opt = useAdam
      ? chain(...pre, scaleByAdam({ lr }), scaleBySchedule(schedule(1)))
      : chain(...pre, trace(momentum), scaleByLearningRate(schedule(lr)));
    const state = opt.init(n * k);

    /** One sampled step; returns the sampled network's loss on the rows used. */
    const update = (batch: Int32Array | null): number => {
      factor.drawDirections(draws);
      factor.sample(w);
      x.set(w);
      const loss = batch ? problem.minibatchLossAndGradient!(x, g, batch) : problem.lossAndGradient!(x, g);
      factor.factorGradient(g, gV);
      opt.update(gV, state, factor.V);
      applyUpdates(factor.V, gV);
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
        (batch) => void update(batch),
        (epoch) => endEpoch(loop, problem, options, epoch, factor.mean(new Int8Array(n)), epochs),
      );
      iterations = outcome.steps;
      epochsDone = outcome.epochs;
    } else {
      let it = 0;
      for (; it < steps; it++) {
        update(null);
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
    const result = finishResult(problem, 'vispa', options, answer, {
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
        ...(p.preset !== 'ours' ? { preset: p.preset, S: p.S, decay: p.decay, warmup: p.warmup, start: p.start } : {}),
      },
    });
    return withDistribution(result, { kind: 'gaussian-rows', rank: k, groups, V: Float64Array.from(factor.V) });
  },
});
