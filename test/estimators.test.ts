import { describe, expect, it } from 'vitest';
import { Rng } from '../src/numerics/rng.js';
import { sigmoid } from '../src/numerics/logistic.js';
import type { StochasticChain } from '../src/core/stochastic-chain.js';
import { loadProblem } from '../problems/index.js';
import { StochasticBinaryNetwork } from '../problems/sbn.js';
import { twoClass2d } from '../problems/two-class-2d.js';
import { bernoulliChain } from '../solvers/estimators/bernoulli-chain.js';
import { createEstimator } from '../solvers/estimators/index.js';

function randomLogits(n: number, seed: number): Float64Array {
  const rng = new Rng(seed, 'eta');
  return Float64Array.from({ length: n }, () => 1.5 * rng.normal());
}

/** E_{w ~ Bern(sigmoid(eta))}[L(w)] by summing over all 2^n vectors, written out plainly. */
function bruteExpectation(loss: (w: Int8Array) => number, eta: Float64Array): number {
  const n = eta.length;
  let total = 0;
  for (let code = 0; code < 2 ** n; code++) {
    const w = new Int8Array(n);
    let p = 1;
    for (let i = 0; i < n; i++) {
      w[i] = (code >> i) & 1 ? 1 : -1;
      p *= w[i] === 1 ? sigmoid(eta[i]!) : 1 - sigmoid(eta[i]!);
    }
    total += p * loss(w);
  }
  return total;
}

function centralDifference(f: (x: Float64Array) => number, x: Float64Array, h = 1e-5): Float64Array {
  const g = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const old = x[i]!;
    x[i] = old + h;
    const up = f(x);
    x[i] = old - h;
    const down = f(x);
    x[i] = old;
    g[i] = (up - down) / (2 * h);
  }
  return g;
}

function norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  return Math.sqrt(s);
}

function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const d = Float64Array.from(a, (v, i) => v - b[i]!);
  return norm(d) / norm(b);
}

/** K independent estimates with M samples each: their mean, per-coordinate standard error, and relative RMSE. */
function sampleStats(chain: StochasticChain, name: string, M: number, K: number, exact: Float64Array, seed = 7) {
  const session = createEstimator(name).start(chain);
  const rng = new Rng(seed, name);
  const P = chain.paramCount;
  const sum = new Float64Array(P);
  const sq = new Float64Array(P);
  const g = new Float64Array(P);
  let mse = 0;
  for (let k = 0; k < K; k++) {
    session.estimate(M, rng, g);
    for (let i = 0; i < P; i++) {
      sum[i]! += g[i]!;
      sq[i]! += g[i]! * g[i]!;
      mse += (g[i]! - exact[i]!) ** 2;
    }
  }
  const mean = sum.map((s) => s / K);
  const se = mean.map((m, i) => Math.sqrt(Math.max(0, sq[i]! / K - m * m) / K));
  return { mean, se, relRmse: Math.sqrt(mse / K) / norm(exact) };
}

describe('Bernoulli-weight estimators', () => {
  const hinge = loadProblem('teacher:n=6,m=30,test=0,noise=0.1,loss=hinge,seed=3');
  const eta = randomLogits(6, 1);

  it('exact equals a brute-force expectation and its finite-difference gradient', () => {
    const chain = bernoulliChain(hinge, eta);
    const grad = new Float64Array(6);
    const value = createEstimator('exact').start(chain).estimate(1, new Rng(1), grad);
    const f = (e: Float64Array) => bruteExpectation((w) => hinge.loss(w), e);
    expect(value).toBeCloseTo(f(eta), 12);
    const fd = centralDifference(f, Float64Array.from(eta));
    for (let i = 0; i < 6; i++) expect(grad[i]).toBeCloseTo(fd[i]!, 8);
  });

  it('the analytic quadratic form equals enumeration', () => {
    for (const spec of ['bqp:n=10,density=0.7,seed=4', 'lsq:n=9,m=20,noise=0.5,seed=2', 'teacher:n=8,m=40,loss=squared,seed=5']) {
      const problem = loadProblem(spec);
      const e = randomLogits(problem.n, 9);
      const chain = bernoulliChain(problem, e);
      const ga = new Float64Array(problem.n);
      const ge = new Float64Array(problem.n);
      const va = createEstimator('analytic').start(chain).estimate(1, new Rng(1), ga);
      const ve = createEstimator('exact').start(chain).estimate(1, new Rng(1), ge);
      expect(va).toBeCloseTo(ve, 9);
      expect(relError(ga, ge)).toBeLessThan(1e-10);
    }
  });

  it('REINFORCE and ARM are unbiased: mean within 4.5 standard errors, RMSE falls like 1/sqrt(M)', () => {
    const chain = bernoulliChain(hinge, eta);
    const exact = new Float64Array(6);
    chain.exactGradient!(exact);
    for (const name of ['reinforce', 'reinforce-baseline', 'arm']) {
      const { mean, se } = sampleStats(chain, name, 10, 2000, exact);
      for (let i = 0; i < 6; i++) expect(Math.abs(mean[i]! - exact[i]!)).toBeLessThan(4.5 * se[i]! + 1e-12);
      const r10 = sampleStats(chain, name, 10, 200, exact, 3).relRmse;
      const r1000 = sampleStats(chain, name, 1000, 200, exact, 4).relRmse;
      // 1/sqrt(M) predicts a ratio of 10; allow for the sampling error of 200 repetitions
      expect(r10 / r1000).toBeGreaterThan(7);
      expect(r10 / r1000).toBeLessThan(14);
    }
  });

  it('straight-through and relaxed estimators are measurably biased', () => {
    const chain = bernoulliChain(hinge, eta);
    const exact = new Float64Array(6);
    chain.exactGradient!(exact);
    for (const name of ['st-identity', 'st-clipped', 'st-density', 'concrete']) {
      const { mean, se } = sampleStats(chain, name, 10, 2000, exact);
      const z = Math.max(...Array.from(mean, (m, i) => Math.abs(m - exact[i]!) / (se[i]! + 1e-300)));
      expect(z, name).toBeGreaterThan(8);
    }
    const tanh = new Float64Array(6);
    createEstimator('tanh').start(chain).estimate(1, new Rng(1), tanh);
    expect(relError(tanh, exact)).toBeGreaterThan(0.05);
  });

  it('st-density is exact in expectation for a linear loss', () => {
    const linear = loadProblem('bqp:n=5,density=0,seed=2');
    const e = randomLogits(5, 4);
    const chain = bernoulliChain(linear, e);
    const exact = new Float64Array(5);
    chain.exactGradient!(exact);
    const { mean, se } = sampleStats(chain, 'st-density', 10, 500, exact);
    for (let i = 0; i < 5; i++) expect(Math.abs(mean[i]! - exact[i]!)).toBeLessThan(4.5 * se[i]! + 1e-12);
  });

  it('a tiny concrete temperature gives exactly zero gradients in floating point', () => {
    const chain = bernoulliChain(hinge, eta);
    const g = new Float64Array(6);
    createEstimator('concrete:1e-10').start(chain).estimate(100, new Rng(2), g);
    expect(Array.from(g).every((v) => v === 0)).toBe(true);
  });

  it('same seed, same output', () => {
    const chain = bernoulliChain(hinge, eta);
    for (const name of ['reinforce-baseline', 'arm', 'st-density', 'concrete:0.5']) {
      const a = new Float64Array(6);
      const b = new Float64Array(6);
      createEstimator(name).start(chain).estimate(5, new Rng(11, 'x'), a);
      createEstimator(name).start(chain).estimate(5, new Rng(11, 'x'), b);
      expect(Array.from(a)).toEqual(Array.from(b));
    }
  });
});

describe('stochastic binary network', () => {
  const data = twoClass2d(4, new Rng(3, 'data'));
  const net = new StochasticBinaryNetwork([2, 3, 2, 3], data, new Rng(5, 'init'));

  /** Brute force: every joint hidden state of every point, plainly. */
  function bruteLoss(params: Float64Array): number {
    const saved = Float64Array.from(net.params);
    net.params.set(params);
    const H = net.layers;
    const total = H.reduce((s, h) => s + h, 0);
    let sum = 0;
    for (let c = 0; c < net.cases; c++) {
      for (let code = 0; code < 2 ** total; code++) {
        let p = 1;
        let prev: Float64Array | null = null;
        let bit = 0;
        for (let l = 0; l < H.length; l++) {
          const a = new Float64Array(H[l]!);
          net.preActivation(c, l, prev, a);
          const x = new Float64Array(H[l]!);
          for (let k = 0; k < H[l]!; k++, bit++) {
            x[k] = (code >> bit) & 1 ? 1 : -1;
            p *= x[k] === 1 ? sigmoid(a[k]!) : 1 - sigmoid(a[k]!);
          }
          prev = x;
        }
        sum += p * net.outputLoss(c, prev!, null, null, 0);
      }
    }
    net.params.set(saved);
    return sum / net.cases;
  }

  it('the layer-by-layer exact gradient equals brute-force enumeration', () => {
    const grad = new Float64Array(net.paramCount);
    const value = net.exactGradient(grad);
    expect(value).toBeCloseTo(bruteLoss(net.params), 12);
    const fd = centralDifference(bruteLoss, Float64Array.from(net.params));
    expect(relError(grad, fd)).toBeLessThan(1e-7);
  });

  it('ARM and REINFORCE are unbiased on the network', () => {
    const exact = new Float64Array(net.paramCount);
    net.exactGradient(exact);
    for (const name of ['reinforce-baseline', 'arm']) {
      const { mean, se } = sampleStats(net, name, 20, 600, exact);
      for (let i = 0; i < net.paramCount; i++) expect(Math.abs(mean[i]! - exact[i]!), `${name} ${i}`).toBeLessThan(4.5 * se[i]! + 1e-12);
    }
  });
  it('training on the exact gradient lowers the exact expected loss', () => {
    const trained = new StochasticBinaryNetwork([2, 3, 3], twoClass2d(20, new Rng(4, 'data')), new Rng(4, 'init'));
    const losses = trained.train(60);
    const g = new Float64Array(trained.paramCount);
    expect(trained.exactGradient(g)).toBeLessThan(losses[0]! - 0.05);
  });
});

describe('biased estimators of Bernoulli weights against their closed forms (quadratic loss)', () => {
  // For L(w) = w'Qw + 2b'w + c with independent w, mu = tanh(eta/2): E[dL/dw (w)] = 2 Q mu + 2 b,
  // while the exact gradient in mu is 2 b + 2 sum_{j != i} Q_ij mu_j, so the straight-through forms
  // have closed-form expectations:
  //   st-density  (2 Q mu + 2 b) (1 - mu^2) / 2      = exact + Q_ii mu_i (1 - mu_i^2)
  //   st-identity (2 Q mu + 2 b) (x2 for units {0,1})
  //   tanh        (2 Q mu + 2 b) (1 - mu^2) / 2 exactly (it differentiates L(mu))
  const problem = loadProblem('lsq:n=7,m=20,noise=0.5,seed=2'); // a non-zero diagonal: st-density's bias is Q_ii mu_i (1 - mu_i^2)
  const { n, Q, b } = problem.quadratic!;
  const eta = randomLogits(n, 12);
  const mu = Array.from(eta, (e) => Math.tanh(e / 2));
  const field = mu.map((_, i) => 2 * b[i]! + 2 * mu.reduce((s, m, j) => s + Q[i * n + j]! * m, 0));
  const densityForm = field.map((f, i) => (f * (1 - mu[i]! ** 2)) / 2);

  it('st-density: mean within 4.5 standard errors of its closed form, which is not the exact gradient', () => {
    const chain = bernoulliChain(problem, eta);
    const exact = new Float64Array(n);
    chain.exactGradient!(exact);
    for (let i = 0; i < n; i++) expect(densityForm[i]! - exact[i]!).toBeCloseTo(Q[i * n + i]! * mu[i]! * (1 - mu[i]! ** 2), 10);
    const { mean, se } = sampleStats(chain, 'st-density', 10, 1000, exact);
    for (let i = 0; i < n; i++) expect(Math.abs(mean[i]! - densityForm[i]!)).toBeLessThan(4.5 * se[i]! + 1e-12);
    expect(relError(densityForm, exact)).toBeGreaterThan(0.05);
  });

  it('st-identity: mean at its closed form, doubled when the units are coded {0,1}', () => {
    const chain = bernoulliChain(problem, eta);
    for (const [units, slope] of [['pm1', 1], ['01', 2]] as const) {
      const session = createEstimator('st-identity', undefined, { units }).start(chain);
      const rng = new Rng(3, units);
      const g = new Float64Array(n);
      const sum = new Float64Array(n);
      const sq = new Float64Array(n);
      for (let k = 0; k < 1000; k++) {
        session.estimate(10, rng, g);
        for (let i = 0; i < n; i++) {
          sum[i]! += g[i]!;
          sq[i]! += g[i]! ** 2;
        }
      }
      for (let i = 0; i < n; i++) {
        const m = sum[i]! / 1000;
        const se = Math.sqrt(Math.max(0, sq[i]! / 1000 - m * m) / 1000);
        expect(Math.abs(m - slope * field[i]!), `${units} ${i}`).toBeLessThan(4.5 * se + 1e-12);
      }
    }
  });

  it('tanh equals its closed form exactly', () => {
    const g = new Float64Array(n);
    createEstimator('tanh').start(bernoulliChain(problem, eta)).estimate(1, new Rng(1), g);
    for (let i = 0; i < n; i++) expect(g[i]).toBeCloseTo(densityForm[i]!, 10);
  });
});

describe('biased estimators on the network: a stable bias, not noise', () => {
  const data = twoClass2d(4, new Rng(3, 'data'));
  const net = new StochasticBinaryNetwork([2, 3, 3], data, new Rng(5, 'init'));
  const exact = new Float64Array(net.paramCount);
  net.exactGradient(exact);

  it('st-density and concrete:1 have the same mean with 1 and with 50 samples per estimate, away from the exact gradient', () => {
    for (const name of ['st-density', 'concrete:1']) {
      const one = sampleStats(net, name, 1, 3000, exact, 21);
      const fifty = sampleStats(net, name, 50, 60, exact, 22);
      for (let i = 0; i < net.paramCount; i++) {
        const se = Math.hypot(one.se[i]!, fifty.se[i]!);
        expect(Math.abs(one.mean[i]! - fifty.mean[i]!), `${name} ${i}`).toBeLessThan(4.5 * se + 1e-12);
      }
      const z = Math.max(...Array.from(one.mean, (m, i) => Math.abs(m - exact[i]!) / (one.se[i]! + 1e-300)));
      expect(z, name).toBeGreaterThan(8);
    }
  });
});
