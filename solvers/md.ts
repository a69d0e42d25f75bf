/**
 * Mirror descent over Bernoulli probabilities (Shekhovtsov & Yanush 2021). The variables are
 * theta = P(w = +1) in [0,1]^n, held as logits eta = logit(theta) (mu = E[w] = tanh(eta/2)). With
 * the entropy mirror map, a mirror-descent step on the expected loss f(mu) is additive in the
 * logits:  eta <- eta - step_t * df/dmu.  Estimators give df/deta = df/dmu * (1 - mu^2)/2, so
 *   space=mirror  eta <- eta - step_t * g_eta * 2/(1 - mu^2)    (mirror descent)
 *   space=logit   eta <- eta - step_t * g_eta                    (plain SGD on the logits)
 * With space=mirror and the density-scaled straight-through estimator this is exactly the STE
 * latent-weight update; with an unbiased estimator (arm, reinforce) it is unbiased mirror descent.
 * With normalize=true each step is divided by the root mean square of its entries, so the step
 * size is in logit units whatever the loss scale. Logits are clipped to [-clip, clip] (the mirror
 * map's domain must stay interior: 2/(1 - mu^2) = 1 + cosh(eta) grows without bound).
 * With `batch` > 0 on a problem with training data it trains in epochs of minibatches through the
 * shared loop of solvers/epochs.ts (the same budget as ste and vispa); the step-size schedule then
 * counts minibatch steps.
 * The answer is the best of sign(mu) over the iterations (or at epoch ends in minibatch mode) and,
 * with rounding=sample, of `round` samples from the final probabilities.
 */
import { defineSolver } from '../src/core/solver.js';
import { UserError } from '../src/core/errors.js';
import { Rng } from '../src/numerics/rng.js';
import { signOf } from '../src/core/signs.js';
import { finishResult } from './common/finish.js';
import { RunLoop } from './common/run-loop.js';
import { EPOCH_PARAMS } from './common/epochs.js';
import { bernoulliChain } from './estimators/bernoulli-chain.js';
import { createEstimator, ESTIMATOR_NAMES } from './estimators/index.js';
import { normalizeByRms } from '../src/optim/clipping.js';
import { inverseSqrt, scaleByLearningRate } from '../src/optim/schedules.js';
import { chain } from '../src/optim/transform.js';
import { minibatchTarget, offerSamples, ROUNDING_CHOICES, runUpdates, withDistribution } from './common/probability-training.js';

/**
 * md's settings when it trains in minibatch epochs (estimator=auto): ARM with 10 loss-only samples
 * stays at chance on MNIST's 203k weights at 20x the cost of a straight-through step, the
 * density-scaled straight-through estimator trains (bench/RESULTS.md, issue 13; docs/seed-methods.md).
 */
export const MD_MINIBATCH = { estimator: 'st-density', samples: 1, lr: 0.1 } as const;

export const mdSolver = defineSolver({
  name: 'md',
  summary: 'mirror descent over Bernoulli probabilities (additive logit updates) with a chosen gradient estimator',
  params: [
    {
      name: 'estimator',
      type: 'string',
      default: 'auto',
      choices: ['auto', ...ESTIMATOR_NAMES],
      help: 'gradient estimator of the expected loss; auto: arm, or in minibatch epochs st-density with samples 1 and lr 0.1 where those are left at their defaults (MD_MINIBATCH)',
    },
    { name: 'samples', type: 'int', default: 10, min: 1, help: 'samples per gradient estimate' },
    { name: 'temperature', type: 'number', default: 1, min: 0, help: 'temperature of the concrete estimator' },
    { name: 'lr', type: 'number', default: 1, min: 0, help: 'initial step size (logit units when normalize=true)' },
    { name: 'schedule', type: 'string', default: 'sqrt', choices: ['constant', 'sqrt'], help: 'step size: constant, or lr/sqrt(1 + t/100)' },
    { name: 'space', type: 'string', default: 'mirror', choices: ['mirror', 'logit'], help: 'mirror-descent step in mu, or plain SGD on the logits' },
    { name: 'normalize', type: 'boolean', default: true, help: 'divide each step by its root mean square entry' },
    { name: 'clip', type: 'number', default: 8, min: 0, help: 'bound on |logit|' },
    { name: 'iters', type: 'int', default: 500, min: 1, help: 'iterations (gradient steps); --max-iter overrides' },
    { name: 'init', type: 'number', default: 0, min: 0, help: 'standard deviation of the initial logits (0: theta = 1/2)' },
    { name: 'rounding', type: 'string', default: 'sample', choices: ROUNDING_CHOICES, help: 'final rounding: sign(mu), or also the best of `round` samples' },
    { name: 'round', type: 'int', default: 100, min: 1, help: 'samples drawn for rounding=sample' },
    ...EPOCH_PARAMS,
  ],
  trainsInEpochs: true,
  run(problem, options, resolved) {
    const loop = new RunLoop(problem, options);
    const start = loop.start;
    const p = { ...resolved } as { -readonly [K in keyof typeof resolved]: (typeof resolved)[K] };
    if (p.estimator === 'auto') {
      if (p.batch > 0) {
        const defaults = (name: string) => mdSolver.params.find((q) => q.name === name)!.default;
        if (p.samples === defaults('samples')) p.samples = MD_MINIBATCH.samples;
        if (p.lr === defaults('lr')) p.lr = MD_MINIBATCH.lr;
      }
      p.estimator = p.batch > 0 ? MD_MINIBATCH.estimator : 'arm';
    }
    const estimator = createEstimator(p.estimator, p.temperature);
    const { samples, lr, schedule, normalize, clip } = p;
    const mirror = p.space === 'mirror';
    const iters = options.maxIter ?? p.iters;
    const n = problem.n;
    const rng = new Rng(options.seed, 'md');
    const batchSize = p.batch;
    const minibatch = batchSize > 0 ? minibatchTarget(problem, batchSize, 'md') : undefined;
    const eta = new Float64Array(n);
    const initRng = rng.fork('init');
    for (let i = 0; i < n; i++) eta[i] = p.init * initRng.normal();
    const bernoulli = bernoulliChain(minibatch ?? problem, eta);
    const why = estimator.supports(bernoulli);
    if (why !== true) throw new UserError(`solver 'md' on '${problem.spec}': ${why}`);
    const session = estimator.start(bernoulli);
    const sampling = rng.fork('estimator');
    const grad = new Float64Array(n);
    const opt = chain(...(normalize ? [normalizeByRms()] : []), scaleByLearningRate(schedule === 'sqrt' ? inverseSqrt({ init: lr, scale: 100 }) : lr));
    const state = opt.init(n);
    loop.offer(signOf(eta));
    loop.record(0);

    /** One mirror-descent step on the current target (the schedule counts the steps). */
    const update = (): void => {
      session.estimate(samples, sampling, grad);
      // the mirror map's metric: df/dmu = df/deta * 2 / (1 - mu^2) = df/deta * (1 + cosh(eta))
      if (mirror) for (let i = 0; i < n; i++) grad[i] = grad[i]! * (1 + Math.cosh(eta[i]!));
      opt.update(grad, state, eta);
      // projection back into the mirror map's domain
      for (let i = 0; i < n; i++) eta[i] = Math.max(-clip, Math.min(clip, eta[i]! + grad[i]!));
    };

    const run = runUpdates({
      problem,
      options,
      params: eta,
      update,
      loop,
      minibatch,
      batchSize,
      epochs: p.epochs,
      iters,
      rng,
    });
    loop.offer(signOf(eta));
    if (p.rounding === 'sample') offerSamples(loop, eta, p.round, rng.fork('rounding'));
    let entropy = 0;
    for (let i = 0; i < n; i++) {
      const t = 1 / (1 + Math.exp(-eta[i]!));
      if (t > 0 && t < 1) entropy -= t * Math.log(t) + (1 - t) * Math.log(1 - t);
    }
    const result = finishResult(problem, 'md', options, loop.best, {
      start,
      iterations: run.iterations,
      history: loop.history,
      info: {
        estimator: estimator.name,
        samples,
        lr,
        schedule,
        space: p.space,
        normalize,
        batch: p.batch,
        ...(minibatch ? { epochs: run.epochsDone, epochLog: run.epochs } : {}),
        finalEntropyNats: entropy,
      },
    });
    // P(w = +1) = sigmoid(eta)
    return withDistribution(result, { kind: 'bernoulli', logits: Float64Array.from(eta) });
  },
});
