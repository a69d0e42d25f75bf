/**
 * The authors' presets, step for step: a few steps of `vispa -p preset=paper` and of
 * `bayesbinn -p preset=mnist|moons` equal plain re-implementations of the original updates written
 * here in the authors' own coordinates (snownus/bnn_vi models/sdp_wo_entropy.py with
 * torch.optim.SGD and adjust_learning_rate_cos; team-approx-bayes/BayesBiNN
 * optimizers/BayesBiNN.py). Only the random draws are shared: the test reads the solver's named
 * random streams in the order the original draws them.
 */
import { describe, expect, it } from 'vitest';
import { loadProblem } from '../problems/index.js';
import type { MlpProblem } from '../problems/mlp.js';
import { findSolver } from '../solvers/index.js';
import { MAX_HALF_LOGIT, TANH_SATURATES } from '../solvers/bayesbinn.js';
import { distributionOf } from '../solvers/common/probability-training.js';
import { runSolver } from '../src/core/solver.js';
import { Rng } from '../src/numerics/rng.js';
import { signsFromString } from '../src/core/signs.js';

const problem = loadProblem('mlp:data=moons,arch=16-6-2,seed=3') as MlpProblem;
const n = problem.n;
const shapes = problem.weightShapes;
const groupOf = shapes.flatMap(({ inputs, outputs }, g) => new Array<number>(inputs * outputs).fill(g));

describe('vispa preset=paper equals the authors\' update', () => {
  it('6 full-batch steps (2 of warm-up) of SDP sampling + SGD(momentum, weight decay) on (M, Z)', async () => {
    const seed = 11;
    const T = 6;
    const warm = 2;
    const result = await runSolver(findSolver('vispa'), problem, { seed, maxIter: T, params: { preset: 'paper', warmup: warm, samples: 0 } });
    const [K, S, lr, mom, wd] = [4, 100, 0.5, 0.9, 1e-5];
    // xavier_normal_ on M (out x in) and Z (K x out x in): std sqrt(2 / (fan_in + fan_out))
    const init = new Rng(seed, 'vispa').fork('init');
    const m = new Float64Array(n);
    const z = Array.from({ length: n }, () => new Float64Array(K));
    for (let i = 0; i < n; i++) {
      const { inputs, outputs } = shapes[groupOf[i]!]!;
      m[i] = Math.sqrt(2 / (inputs + outputs)) * init.normal();
      for (let c = 0; c < K; c++) z[i]![c] = Math.sqrt(2 / ((outputs + K) * inputs)) * init.normal();
    }
    const draws = new Rng(seed, 'vispa').fork('directions');
    const bufM = new Float64Array(n);
    const bufZ = Array.from({ length: n }, () => new Float64Array(K));
    const lrAt = (it: number) => (it < warm ? (lr * it) / warm : (lr * (1 + Math.cos((Math.PI * (it - warm)) / (T - warm)))) / 2);
    const normalise = () => {
      for (let i = 0; i < n; i++) {
        const A = m[i]! ** 2 + z[i]!.reduce((s, v) => s + v * v, 0) / S;
        m[i] = m[i]! / Math.sqrt(A);
        for (let c = 0; c < K; c++) z[i]![c] = z[i]![c]! / Math.sqrt(A);
      }
    };
    for (let it = 0; it < T; it++) {
      normalise(); // forward(): in place, before sampling
      // SDP.forward: one rv ~ N(0, 1/S) of size K per layer; w = m + rv z; binary weights sign(w)
      const rv = shapes.map(() => Float64Array.from({ length: K }, () => draws.normal() / Math.sqrt(S)));
      const b = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const r = rv[groupOf[i]!]!;
        let w = m[i]!;
        for (let c = 0; c < K; c++) w += r[c]! * z[i]![c]!;
        b[i] = w >= 0 ? 1 : -1;
      }
      const g = new Float64Array(n);
      problem.lossAndGradient(b, g); // BinaryQuantize: identity backward
      for (let i = 0; i < n; i++) {
        const r = rv[groupOf[i]!]!;
        // SDP.backward: grad_m = g, grad_z = rv' g * sqrt(S); torch SGD with weight decay and momentum
        bufM[i] = mom * bufM[i]! + (g[i]! + wd * m[i]!);
        m[i] = m[i]! - lrAt(it) * bufM[i]!;
        for (let c = 0; c < K; c++) {
          bufZ[i]![c] = mom * bufZ[i]![c]! + (r[c]! * g[i]! * Math.sqrt(S) + wd * z[i]![c]!);
          z[i]![c] = z[i]![c]! - lrAt(it) * bufZ[i]![c]!;
        }
      }
    }
    normalise();
    const d = distributionOf(result);
    expect(d?.kind).toBe('gaussian-rows');
    if (d?.kind !== 'gaussian-rows') return;
    expect(d.rank).toBe(K + 1);
    let maxDiff = 0;
    for (let i = 0; i < n; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(d.V[i * (K + 1)]! - m[i]!));
      for (let c = 0; c < K; c++) maxDiff = Math.max(maxDiff, Math.abs(d.V[i * (K + 1) + 1 + c]! - z[i]![c]! / Math.sqrt(S)));
    }
    expect(maxDiff).toBeLessThan(1e-10);
    expect(result.info).toMatchObject({ preset: 'paper', S: 100, start: 'xavier', optimizer: 'sgd', rank: 5 });
  });
});

/** BayesBiNN.step, written from optimizers/BayesBiNN.py: lagged mu, the KL term inside the momentum. */
function bayesbinnReference(opts: { seed: number; lr: (step: number, epoch: number) => number; beta: number; tau: number; samples: number; init: number; batches: Int32Array[][] | null; steps: number }) {
  const N = problem.trainSize;
  const base = new Rng(opts.seed, 'bayesbinn');
  const init = base.fork('init');
  let lambda = Float64Array.from({ length: n }, () => opts.init * init.sign());
  let mu = lambda.map(Math.tanh);
  const noise = base.fork('noise');
  const momentum = new Float64Array(n);
  const step = (batch: Int32Array | null, t: number, epoch: number) => {
    const gradHat = new Float64Array(n);
    for (let s = 0; s < opts.samples; s++) {
      const w = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const u = noise.floatOpen();
        w[i] = Math.tanh((Math.log(u / (1 - u)) / 2 + lambda[i]!) / opts.tau);
      }
      const g = new Float64Array(n);
      if (batch) problem.minibatchLossAndGradient(w, g, batch);
      else problem.lossAndGradient(w, g);
      for (let i = 0; i < n; i++) gradHat[i]! += ((1 - w[i]! * w[i]! + 1e-10) / opts.tau / (1 - mu[i]! * mu[i]! + 1e-10)) * g[i]!;
    }
    for (let i = 0; i < n; i++) gradHat[i] = gradHat[i]! * (N / opts.samples);
    for (let i = 0; i < n; i++) momentum[i] = opts.beta * momentum[i]! + (1 - opts.beta) * (gradHat[i]! + (lambda[i]! - 0));
    const old = lambda;
    lambda = Float64Array.from(lambda, (l, i) => l - (opts.lr(t, epoch) * momentum[i]!) / (1 - opts.beta ** (t + 1)));
    mu = old.map(Math.tanh); // self.state['mu'] = torch.tanh(lamda), lamda bound before the update
  };
  let t = 0;
  if (opts.batches) opts.batches.forEach((epoch, e) => epoch.forEach((batch) => step(batch, t++, e)));
  else for (; t < opts.steps; t++) step(null, t, 0);
  return { lambda, mu };
}

/** The shared epoch loop's batches: a seeded shuffle per epoch, consecutive slices. */
function epochBatches(seed: number, stream: string, size: number, epochs: number): Int32Array[][] {
  const rng = new Rng(seed, stream).fork('batches');
  const order = Int32Array.from({ length: problem.trainSize }, (_, i) => i);
  return Array.from({ length: epochs }, () => {
    rng.shuffle(order);
    const out: Int32Array[] = [];
    for (let s = 0; s < problem.trainSize; s += size) out.push(Int32Array.from(order.subarray(s, s + size)));
    return out;
  });
}

describe("bayesbinn presets equal BayesBiNN.py's step", () => {
  it('the relaxed sample skips Math.tanh where it is exactly ±1 (|y| >= TANH_SATURATES): the same value', () => {
    const ys = [TANH_SATURATES, 20.000000000000004, 20.5, 21, 22, 25, 37.5, 100, 1e10, 1e300, Number.MAX_VALUE, Infinity];
    for (let k = 0; k < 200; k++) ys.push(TANH_SATURATES + k * 0.013);
    for (const y of ys) {
      expect(Math.tanh(y)).toBe(1);
      expect(Math.tanh(-y)).toBe(-1);
    }
    // and not below it: the call is still made there
    expect(Math.tanh(18)).toBeLessThan(1);
  });

  it('where |lambda| >= MAX_HALF_LOGIT + 1 + 2 tau TANH_SATURATES the relaxed sample is sign(lambda) for every u floatOpen can give', () => {
    const ends = [2 ** -53, 2 ** -52, 1e-10, 0.5, 1 - 2 ** -52, 1 - 2 ** -53];
    expect(Math.max(...ends.map((u) => Math.abs(0.5 * Math.log(u / (1 - u)))))).toBeLessThanOrEqual(MAX_HALF_LOGIT);
    for (const tau of [1e-10, 1e-3, 1, 3]) {
      const saturated = MAX_HALF_LOGIT + 1 + 2 * TANH_SATURATES * tau;
      for (const l of [saturated, saturated * 1.5, 1e8]) {
        for (const u of ends) {
          expect(Math.tanh((l + 0.5 * Math.log(u / (1 - u))) / tau)).toBe(1);
          expect(Math.tanh((-l + 0.5 * Math.log(u / (1 - u))) / tau)).toBe(-1);
        }
      }
    }
  });

  const compare = (got: Float64Array, want: Float64Array) => {
    let maxRel = 0;
    for (let i = 0; i < n; i++) maxRel = Math.max(maxRel, Math.abs(got[i]! - 2 * want[i]!) / Math.max(1, Math.abs(2 * want[i]!)));
    expect(maxRel).toBeLessThan(1e-9);
  };

  it('preset=mnist: 3 epochs of 2 minibatches, tau 1e-10, beta 0, lr 1e-4 cosine per epoch to 1e-16, init +-10; the answer is sign(lagged mu)', async () => {
    const seed = 5;
    const result = await runSolver(findSolver('bayesbinn'), problem, { seed, params: { preset: 'mnist', batch: 100, epochs: 3 } });
    const lr = (_t: number, e: number) => 1e-16 + ((1e-4 - 1e-16) * (1 + Math.cos((Math.PI * e) / 3))) / 2;
    const ref = bayesbinnReference({ seed, lr, beta: 0, tau: 1e-10, samples: 1, init: 10, batches: epochBatches(seed, 'bayesbinn', 100, 3), steps: 0 });
    const d = distributionOf(result);
    expect(d?.kind).toBe('bernoulli');
    if (d?.kind !== 'bernoulli') return;
    compare(d.logits, ref.lambda);
    expect(Array.from(signsFromString(result.weights))).toEqual(Array.from(ref.mu, (v) => (v > 0 ? 1 : -1)));
  });

  it('preset=moons: 4 full-batch steps, tau 1, 5 samples, beta 0.99, lr 1e-3, init +-15', async () => {
    const seed = 8;
    const result = await runSolver(findSolver('bayesbinn'), problem, { seed, maxIter: 4, params: { preset: 'moons' } });
    const ref = bayesbinnReference({ seed, lr: () => 1e-3, beta: 0.99, tau: 1, samples: 5, init: 15, batches: null, steps: 4 });
    const d = distributionOf(result);
    if (d?.kind !== 'bernoulli') throw new Error('no distribution');
    compare(d.logits, ref.lambda);
    // and it is not our default update (the current mu, the prior outside the momentum)
    const ours = await runSolver(findSolver('bayesbinn'), problem, { seed, maxIter: 4, params: { temperature: 1, samples: 5, beta: 0.99, lr: 1e-3, init: 15 } });
    const o = distributionOf(ours);
    if (o?.kind !== 'bernoulli') throw new Error('no distribution');
    expect(Math.max(...Array.from(o.logits, (v, i) => Math.abs(v - d.logits[i]!)))).toBeGreaterThan(1e-6);
  });
});
