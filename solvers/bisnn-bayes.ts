/**
 * Bayes-BiSNN (Jang, Skatchkovsky & Simeone 2020; kclip/BayesBiSNN optimizer/BBSNN.py,
 * BayesBiSNNRP): the Bayesian learning rule on a mean-field Bernoulli posterior over the +-1
 * synapses, natural parameters lambda (P(w = +1) = sigmoid(2 lambda), mean tanh(lambda)), with a
 * relaxed (binary concrete) sample per update:
 *   delta = 1/2 log(u / (1 - u)), u ~ U(0,1),     w_r = tanh((lambda + delta) / tau),
 *   g = dL/dw at w_r (the surrogate gradient of the snn problem),
 *   s = (1 - w_r^2 + eps) / (tau (1 - tanh(lambda)^2 + eps)),   eps = 1e-10,
 *   lambda <- (1 - lr rho) lambda - lr (g s - rho lambda_0),    lambda_0 = 1/2 log(p0 / (1 - p0)).
 * This is BayesBiNN's rule (solvers/bayesbinn.ts: lambda <- (1 - alpha) lambda - alpha (N s g -
 * lambda_0), same w_r and s) with alpha = lr rho, N = 1/rho and no momentum (beta = 0); the two
 * share the formulas of `relaxedSample` and `blrScale` below (bayesbinn.ts keeps its own copy
 * for now).
 *
 * Scaling to our loop: the authors update after every time step t >= burnin; the snn loss sums
 * the per-step losses, so one update here stands for steps - burnin of theirs: the gradient term
 * carries over unchanged (lr 0.1) and the prior term is applied steps - burnin times to first
 * order, so the default rho is the paper's 5e-4 per step times 90 steps.
 *
 * The answer is the MAP network sign(lambda); the result also reports, where the problem gives
 * class probabilities, the MAP's and a `samples`-network ensemble's test accuracy and ECE
 * (ensemble probabilities = the mean of the sampled networks' probabilities, networks drawn
 * w ~ Bernoulli(sigmoid(2 lambda)) as in the authors' mean_testing).
 */
import { defineSolver, type SolveOptions } from '../src/core/solver.js';
import type { Problem } from '../src/core/problem.js';
import type { SolverResult } from '../src/core/result.js';
import { Rng } from '../src/numerics/rng.js';
import { calibration, type Calibration } from '../src/numerics/calibration.js';
import { logit } from '../src/core/stochastic-chain.js';
import { signOf } from '../src/core/signs.js';
import { finishResult } from './common/finish.js';
import { epochLoop, EPOCH_PARAMS } from './common/epochs.js';
import { bisnnSupports, evaluationSchedule } from './bisnn-st.js';

/** The paper's two-moons settings (params_twomoons_bbisnn.yml). */
export const BISNN_BAYES_PAPER = { lr: 0.1, tau: 1, rhoPerStep: 5e-4, p0: 0.5, samples: 10, batch: 40, epochs: 5000, init: 10, stepsPerSample: 90 } as const;

const EPS = 1e-10;

/** The relaxed Bernoulli sample tanh((lambda + delta) / tau) for logistic noise delta. */
export function relaxedSample(lambda: number, delta: number, tau: number): number {
  return Math.tanh((lambda + delta) / tau);
}

/** The reparameterisation scale s of the Bayesian learning rule (BayesBiNN and Bayes-BiSNN). */
export function blrScale(wr: number, lambda: number, tau: number): number {
  const mu = Math.tanh(lambda);
  return (1 - wr * wr + EPS) / (tau * (1 - mu * mu + EPS));
}

/** One Bayes-BiSNN update of lambda in place, from the relaxed sample wr and the gradient g at wr. */
export function bayesBisnnUpdate(lambda: Float64Array, wr: Float64Array, g: Float64Array, lr: number, rho: number, tau: number, prior: number): void {
  for (let i = 0; i < lambda.length; i++) {
    const l = lambda[i]!;
    lambda[i] = (1 - lr * rho) * l - lr * (g[i]! * blrScale(wr[i]!, l, tau) - rho * prior);
  }
}

/** A network drawn from the posterior: w_i = +1 with probability sigmoid(2 lambda_i). */
export function samplePosterior(lambda: Float64Array, rng: Rng): Int8Array {
  return Int8Array.from(lambda, (l) => (rng.float() < 1 / (1 + Math.exp(-2 * l)) ? 1 : -1));
}

export interface PosteriorEvaluation {
  map: Calibration;
  ensemble: Calibration;
  /** the ensemble's mean probabilities (rows x classes) */
  probabilities: Float64Array;
  /** the sampled networks of the ensemble */
  networks: Int8Array[];
}

/** MAP and `samples`-network ensemble on the test rows, where the problem gives probabilities. */
export function evaluatePosterior(problem: Problem, lambda: Float64Array, samples: number, rng: Rng): PosteriorEvaluation | undefined {
  if (!problem.classProbabilities || !problem.labelsOf) return undefined;
  const labels = problem.labelsOf('test');
  if (labels.length === 0) return undefined;
  const mapProbs = problem.classProbabilities(signOf(lambda), 'test');
  const classes = mapProbs.length / labels.length;
  const mean = new Float64Array(mapProbs.length);
  const networks: Int8Array[] = [];
  for (let s = 0; s < samples; s++) {
    const w = samplePosterior(lambda, rng);
    networks.push(w);
    const probs = problem.classProbabilities(w, 'test');
    for (let k = 0; k < mean.length; k++) mean[k]! += probs[k]! / samples;
  }
  return { map: calibration(mapProbs, labels, classes), ensemble: calibration(mean, labels, classes), probabilities: mean, networks };
}

const summary = (c: Calibration) => ({ testAccuracy: c.accuracy, ece: c.ece });

/** The training run with its posterior, for callers that evaluate it further (bench snn). */
export function trainBayesBisnn(problem: Problem, options: SolveOptions, p: BayesParams): { result: SolverResult; lambda: Float64Array; evaluation?: PosteriorEvaluation } {
  const start = performance.now();
  const n = problem.n;
  const rng = new Rng(options.seed, 'bisnn-bayes');
  const initRng = rng.fork('init');
  // the authors' latent model starts as a copy of +-10 weights drawn with probability p0
  const lambda = Float64Array.from({ length: n }, () => p.init * (initRng.float() < p.p0 ? 1 : -1));
  const prior = 0.5 * Math.log(p.p0 / (1 - p.p0));
  const noise = rng.fork('noise');
  const wr = new Float64Array(n);
  const grad = new Float64Array(n);
  const schedule = evaluationSchedule(problem, p.eval, p.epochs, () => signOf(lambda), options);
  const outcome = epochLoop(
    { trainSize: problem.trainSize!, epochs: p.epochs, batchSize: p.batch, rng: rng.fork('batches'), start, maxTimeMs: options.maxTimeMs },
    (batch) => {
      for (let i = 0; i < n; i++) wr[i] = relaxedSample(lambda[i]!, 0.5 * logit(noise.floatOpen()), p.tau);
      problem.minibatchLossAndGradient!(wr, grad, batch);
      bayesBisnnUpdate(lambda, wr, grad, p.lr, p.rho, p.tau, prior);
    },
    (epoch) => schedule.endOfEpoch(epoch),
  );
  const evaluation = evaluatePosterior(problem, lambda, p.samples, rng.fork('ensemble'));
  const result = finishResult(problem, 'bisnn-bayes', options, signOf(lambda), {
    start,
    iterations: outcome.steps,
    history: schedule.log.map((e) => ({ iteration: e.epoch, loss: e.loss })),
    info: {
      lr: p.lr,
      tau: p.tau,
      rho: p.rho,
      p0: p.p0,
      init: p.init,
      batch: p.batch,
      epochs: outcome.epochs,
      samples: p.samples,
      epochLog: schedule.log,
      finiteLambda: lambda.every(Number.isFinite),
      ...(evaluation ? { map: summary(evaluation.map), ensemble: summary(evaluation.ensemble) } : {}),
    },
  });
  return { result, lambda, ...(evaluation ? { evaluation } : {}) };
}

const PARAMS = [
  { name: 'lr', type: 'number', default: BISNN_BAYES_PAPER.lr, min: 0, help: 'learning rate (paper: 0.1)' },
  { name: 'tau', type: 'number', default: BISNN_BAYES_PAPER.tau, above: 0, help: 'relaxation temperature (paper: 1)' },
  {
    name: 'rho',
    type: 'number',
    default: BISNN_BAYES_PAPER.rhoPerStep * BISNN_BAYES_PAPER.stepsPerSample,
    min: 0,
    help: 'prior weight per update (paper: 5e-4 per time step; one update here covers the 90 steps of a sample)',
  },
  { name: 'p0', type: 'number', default: BISNN_BAYES_PAPER.p0, above: 0, below: 1, help: 'prior P(w = +1) (paper: 0.5)' },
  { name: 'init', type: 'number', default: BISNN_BAYES_PAPER.init, min: 0, help: 'initial |lambda|, signs drawn with p0 (paper: 10)' },
  { name: 'samples', type: 'int', default: BISNN_BAYES_PAPER.samples, min: 1, help: 'networks in the test ensemble (paper: 10)' },
  { name: 'eval', type: 'int', default: 10, min: 1, help: 'evaluate the MAP network every this many epochs (and at the end)' },
  { ...EPOCH_PARAMS[0], default: BISNN_BAYES_PAPER.batch, min: 1, help: `minibatch size (paper: ${BISNN_BAYES_PAPER.batch})` },
  { ...EPOCH_PARAMS[1], default: 100, help: `epochs (paper: ${BISNN_BAYES_PAPER.epochs}; scaled down for a small machine)` },
] as const;

type BayesParams = { readonly [K in (typeof PARAMS)[number]['name']]: number };

export const bisnnBayesSolver = defineSolver({
  name: 'bisnn-bayes',
  summary: 'Bayes-BiSNN: Bayesian learning rule on Bernoulli synapses with relaxed samples; MAP and ensemble (Jang et al. 2020)',
  params: PARAMS,
  trainsInEpochs: true,
  supports: (problem) => bisnnSupports(problem, 'bisnn-bayes'),
  run(problem, options, p) {
    return trainBayesBisnn(problem, options, p).result;
  },
});


