/**
 * PSA (path sample-analytic) and ARM with fresh noise, tested for what they claim: PSA's gradient
 * is unbiased for the last stochastic layer and the output layer and for Bernoulli weights, exact
 * for chains of single units, and measurably biased for earlier layers of wider networks; ARM is
 * unbiased in both noise modes. References: the enumerated exact gradient (itself checked against
 * brute force and finite differences in estimators.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../src/numerics/rng.js';
import type { StochasticChain } from '../src/core/stochastic-chain.js';
import { loadProblem } from '../problems/index.js';
import { StochasticBinaryNetwork } from '../problems/sbn.js';
import { twoClass2d } from '../problems/two-class-2d.js';
import { bernoulliChain } from '../solvers/estimators/bernoulli-chain.js';
import { createEstimator, type EstimatorOptions } from '../solvers/estimators/index.js';

/** Per block: the largest |mean - exact| / standard error over its coordinates, after K estimates of M samples. */
function blockZ(chain: StochasticChain, name: string, M: number, K: number, options: EstimatorOptions = {}, seed = 7): number[] {
  const exact = new Float64Array(chain.paramCount);
  chain.exactGradient!(exact);
  const session = createEstimator(name, undefined, options).start(chain);
  const rng = new Rng(seed, name);
  const P = chain.paramCount;
  const sum = new Float64Array(P);
  const sq = new Float64Array(P);
  const g = new Float64Array(P);
  for (let k = 0; k < K; k++) {
    session.estimate(M, rng, g);
    for (let i = 0; i < P; i++) {
      sum[i]! += g[i]!;
      sq[i]! += g[i]! * g[i]!;
    }
  }
  return chain.blocks.map((b) => {
    let z = 0;
    for (let i = b.offset; i < b.offset + b.size; i++) {
      const m = sum[i]! / K;
      const se = Math.sqrt(Math.max(0, sq[i]! / K - m * m) / K);
      // a coordinate estimated with no variance at all must equal the exact value to rounding
      z = Math.max(z, Math.abs(m - exact[i]!) / (se + 1e-12 * (1 + Math.abs(exact[i]!))));
    }
    return z;
  });
}

describe('PSA', () => {
  const data = twoClass2d(4, new Rng(3, 'data'));

  it('is unbiased for the last stochastic layer and the output layer, biased before them', () => {
    const net = new StochasticBinaryNetwork([2, 3, 2, 3], data, new Rng(5, 'init'));
    const z = blockZ(net, 'psa', 20, 1000);
    expect(z[2], 'last stochastic layer').toBeLessThan(4.5);
    expect(z[3], 'output layer').toBeLessThan(4.5);
    // the first-order flip propagation is an approximation: far outside the sampling error
    expect(z[0], 'layer 1').toBeGreaterThan(8);
    expect(z[1], 'layer 2').toBeGreaterThan(8);
  });

  it('is exact in expectation for a chain of single units (no joint flips to linearise)', () => {
    const net = new StochasticBinaryNetwork([2, 1, 1, 1], data, new Rng(5, 'init'));
    for (const [l, z] of blockZ(net, 'psa', 20, 1000).entries()) expect(z, `layer ${l + 1}`).toBeLessThan(4.5);
  });

  it('is unbiased for Bernoulli weights of a loss-only problem', () => {
    const problem = loadProblem('teacher:n=6,m=30,test=0,noise=0.1,loss=01,seed=3');
    const rng = new Rng(1, 'eta');
    const eta = Float64Array.from({ length: 6 }, () => 1.5 * rng.normal());
    const [z] = blockZ(bernoulliChain(problem, eta), 'psa', 10, 2000);
    expect(z).toBeLessThan(4.5);
  });

  it('same seed, same estimate', () => {
    const net = new StochasticBinaryNetwork([2, 3, 3], data, new Rng(5, 'init'));
    const a = new Float64Array(net.paramCount);
    const b = new Float64Array(net.paramCount);
    createEstimator('psa').start(net).estimate(5, new Rng(11, 'x'), a);
    createEstimator('psa').start(net).estimate(5, new Rng(11, 'x'), b);
    expect(Array.from(a)).toEqual(Array.from(b));
  });
});

describe('ARM noise modes', () => {
  const data = twoClass2d(4, new Rng(3, 'data'));
  const net = new StochasticBinaryNetwork([2, 3, 2, 3], data, new Rng(5, 'init'));

  it('both are unbiased on every layer', () => {
    for (const arm of ['shared', 'fresh'] as const) {
      for (const [l, z] of blockZ(net, 'arm', 20, 800, { arm }).entries()) expect(z, `${arm} layer ${l + 1}`).toBeLessThan(4.5);
    }
  });

  it('fresh noise has the larger variance (the shared continuations cancel where the pair agrees)', () => {
    const variance = (arm: 'shared' | 'fresh') => {
      const session = createEstimator('arm', undefined, { arm }).start(net);
      const rng = new Rng(2, arm);
      const g = new Float64Array(net.paramCount);
      const exact = new Float64Array(net.paramCount);
      net.exactGradient(exact);
      let mse = 0;
      for (let k = 0; k < 400; k++) {
        session.estimate(1, rng, g);
        for (let i = 0; i < net.blocks[0]!.size; i++) mse += (g[i]! - exact[i]!) ** 2;
      }
      return mse / 400;
    };
    expect(variance('fresh')).toBeGreaterThan(1.3 * variance('shared'));
  });
});
