/**
 * BayesBiNN (Meng, Bachmann & Khan, ICML 2020): the Bayesian learning rule for a mean-field
 * Bernoulli posterior over binary weights, with relaxed (binary concrete) samples. Natural
 * parameter lambda (theta = P(w = +1) = sigmoid(2 lambda), mu = tanh(lambda)); per step, with
 * delta = 0.5 log(u / (1 - u)), u ~ U(0,1):
 *   w_r = tanh((lambda + delta) / tau),  g = dL/dw at w_r,
 *   s   = N (1 - w_r^2 + eps) / (tau (1 - tanh(lambda)^2 + eps)),
 *   m   <- beta m + (1 - beta) mean_samples(s g)          (momentum, bias-corrected as in Adam)
 *   lambda <- (1 - alpha) lambda - alpha (m_hat - lambda_0).
 * eps = 1e-10 is the authors' guard. With their tau = 1e-10 the relaxed sample is exactly +-1 in
 * floating point, so 1 - w_r^2 = 0 and s = N eps / (tau (1 - mu^2 + eps)) = N cosh(lambda)^2 (for
 * tau = eps): the rule becomes a straight-through step scaled by cosh(lambda)^2. See the README
 * for what that does here and for the defaults we chose by measurement.
 * With `batch` > 0 on a problem with training data it trains in epochs of minibatches through the
 * shared loop of solvers/epochs.ts (the same budget as ste and vispa), N = the training-set size.
 * The answer is the best of sign(lambda) over the run (at epoch ends in minibatch mode), or also of
 * samples from the final posterior with rounding=sample.
 */
import { defineSolver } from '../src/core/solver.js';
import { UserError } from '../src/core/errors.js';
import { Rng } from '../src/numerics/rng.js';
import { logit } from '../src/core/stochastic-chain.js';
import { signOf } from '../src/core/signs.js';
import { finishResult } from './common/finish.js';
import { EPOCH_PARAMS } from './common/epochs.js';
import { needsGradient } from './common/requirements.js';
import { RunLoop } from './common/run-loop.js';
import { minibatchTarget, offerSamples, ROUNDING_CHOICES, runUpdates } from './common/probability-training.js';

/**
 * N for problems that do not state a training-set size (their loss is a mean over data the solver
 * cannot see): the posterior's inverse temperature. Chosen by measurement (README).
 */
export const BAYESBINN_FALLBACK_N = 100;

/** The authors' reference settings, for `-p preset=reference`. */
export const BAYESBINN_REFERENCE = { temperature: 1e-10, lr: 3e-4, samples: 1, beta: 0.99, init: 10, prior: 0 } as const;

export const bayesbinnSolver = defineSolver({
  name: 'bayesbinn',
  summary: 'BayesBiNN: Bayesian learning rule for Bernoulli weights with relaxed (concrete) samples',
  params: [
    { name: 'temperature', type: 'number', default: 1, min: 0, help: `relaxation temperature tau (reference ${BAYESBINN_REFERENCE.temperature})` },
    { name: 'lr', type: 'number', default: 0.05, min: 0, help: `learning rate alpha (reference ${BAYESBINN_REFERENCE.lr})` },
    { name: 'samples', type: 'int', default: 4, min: 1, help: `MC samples per step (reference ${BAYESBINN_REFERENCE.samples})` },
    { name: 'beta', type: 'number', default: 0.9, min: 0, help: `momentum of the gradient average (reference ${BAYESBINN_REFERENCE.beta})` },
    { name: 'prior', type: 'number', default: 0, help: 'prior natural parameter lambda_0' },
    { name: 'init', type: 'number', default: 0, min: 0, help: `initial |lambda|, random signs (reference ${BAYESBINN_REFERENCE.init})` },
    { name: 'N', type: 'number', default: 0, min: 0, help: `data-set size scaling the loss (0: the problem's training-set size, else ${BAYESBINN_FALLBACK_N})` },
    { name: 'eps', type: 'number', default: 1e-10, min: 0, help: 'the reference guard added to 1 - w_r^2 and 1 - mu^2' },
    { name: 'iters', type: 'int', default: 500, min: 1, help: 'iterations; --max-iter overrides' },
    { name: 'rounding', type: 'string', default: 'sample', choices: ROUNDING_CHOICES, help: 'final rounding: sign(lambda), or also the best of `round` posterior samples' },
    { name: 'round', type: 'int', default: 100, min: 1, help: 'samples drawn for rounding=sample' },
    ...EPOCH_PARAMS,
    { name: 'preset', type: 'string', default: 'ours', choices: ['ours', 'reference'], help: 'reference: the authors\' temperature, lr, samples, beta and init, for every one of these left at our default' },
  ],
  trainsInEpochs: true,
  supports: (problem) => needsGradient(problem, 'bayesbinn'),
  run(problem, options, resolved) {
    const loop = new RunLoop(problem, options);
    const start = loop.start;
    // runSolver hands over every parameter resolved, so a preset replaces those still at our default
    const p = { ...resolved };
    if (p.preset === 'reference') {
      for (const [k, v] of Object.entries(BAYESBINN_REFERENCE) as [keyof typeof BAYESBINN_REFERENCE, number][]) {
        if (p[k] === bayesbinnSolver.params.find((q) => q.name === k)!.default) p[k] = v;
      }
    }
    const tau = p.temperature;
    if (!(tau > 0)) throw new UserError(`solver 'bayesbinn': temperature must be positive, got ${tau}`);
    const { lr: alpha, samples, beta, prior, eps } = p;
    const N = p.N || problem.trainSize || BAYESBINN_FALLBACK_N;
    const iters = options.maxIter ?? p.iters;
    const n = problem.n;
    const rng = new Rng(options.seed, 'bayesbinn');
    const batchSize = p.batch;
    const minibatch = batchSize > 0 ? minibatchTarget(problem, batchSize, 'bayesbinn') : undefined;
    const target = minibatch ?? problem;
    const lambda = new Float64Array(n);
    const initRng = rng.fork('init');
    for (let i = 0; i < n; i++) lambda[i] = p.init * initRng.sign();
    const noise = rng.fork('noise');
    const wr = new Float64Array(n);
    const g = new Float64Array(n);
    const sg = new Float64Array(n);
    const m = new Float64Array(n);
    loop.offer(signOf(lambda));
    loop.record(0);
    let zeroScale = 0;

    /** One Bayesian-learning-rule step, the t-th (0-based), on the current target. */
    const update = (t: number): void => {
      sg.fill(0);
      for (let s = 0; s < samples; s++) {
        for (let i = 0; i < n; i++) wr[i] = Math.tanh((lambda[i]! + 0.5 * logit(noise.floatOpen())) / tau);
        target.lossAndGradient!(wr, g);
        for (let i = 0; i < n; i++) {
          const mu = Math.tanh(lambda[i]!);
          const scale = (N * (1 - wr[i]! * wr[i]! + eps)) / (tau * (1 - mu * mu + eps));
          if (1 - wr[i]! * wr[i]! === 0) zeroScale++;
          sg[i]! += (scale * g[i]!) / samples;
        }
      }
      const correction = 1 - beta ** (t + 1);
      for (let i = 0; i < n; i++) {
        m[i] = beta * m[i]! + (1 - beta) * sg[i]!;
        lambda[i] = (1 - alpha) * lambda[i]! - alpha * (m[i]! / correction - prior);
      }
    };

    const run = runUpdates({
      problem,
      options,
      params: lambda,
      update,
      loop,
      minibatch,
      batchSize,
      epochs: p.epochs,
      iters,
      rng,
    });
    loop.offer(signOf(lambda));
    if (p.rounding === 'sample') {
      const eta = lambda.map((l) => 2 * l);
      offerSamples(loop, eta, p.round, rng.fork('rounding'));
    }
    const finite = lambda.every(Number.isFinite);
    const maxAbsLambda = lambda.reduce((mx, l) => Math.max(mx, Math.abs(l)), 0);
    return finishResult(problem, 'bayesbinn', options, loop.best, {
      start,
      iterations: run.iterations,
      history: loop.history,
      info: {
        preset: p.preset,
        temperature: tau,
        lr: alpha,
        samples,
        beta,
        prior,
        N,
        batch: p.batch,
        ...(minibatch ? { epochs: run.epochsDone, epochLog: run.epochs } : {}),
        // share of relaxed samples that were exactly +-1 (the derivative then lives only in eps)
        saturatedSampleShare: zeroScale / Math.max(1, run.iterations * samples * n),
        finiteLambda: finite,
        maxAbsLambda,
      },
    });
  },
});
