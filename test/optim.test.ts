/**
 * src/optim against plain re-implementations written here: PyTorch's SGD (momentum, weight
 * decay), Adam, BayesBiNN's bias-corrected momentum, the schedules as their sources write them.
 */
import { describe, expect, it } from 'vitest';
import { adam, scaleByAdam } from '../src/optim/adam.js';
import { addDecayedWeights, emaBiasCorrected, trace } from '../src/optim/momentum.js';
import { clipByGlobalNorm, clipByValue, normalizeByRms } from '../src/optim/clipping.js';
import {
  cosineDecay,
  inverseSqrt,
  perBlock,
  piecewiseConstant,
  scale,
  scaleByLearningRate,
  scaleBySchedule,
  warmupCosineDecay,
} from '../src/optim/schedules.js';
import { applyUpdates, chain } from '../src/optim/transform.js';
import { Rng } from '../src/numerics/rng.js';

const rng = new Rng(4, 'optim-test');
const vec = (n: number) => Float64Array.from({ length: n }, () => rng.normal());
const grads = (steps: number, n: number) => Array.from({ length: steps }, () => vec(n));

function run(opt: ReturnType<typeof chain>, p0: Float64Array, gs: Float64Array[]): Float64Array {
  const p = Float64Array.from(p0);
  const state = opt.init(p.length);
  for (const g of gs) {
    const u = Float64Array.from(g);
    opt.update(u, state, p);
    applyUpdates(p, u);
  }
  return p;
}

describe('optim transformations equal plain re-implementations', () => {
  it('SGD with momentum and weight decay (torch.optim.SGD, dampening 0) on a warm-up cosine schedule (bnn_vi adjust_learning_rate_cos)', () => {
    const n = 7;
    const p0 = vec(n);
    const gs = grads(12, n);
    const [lr, mom, wd, warm, total] = [0.5, 0.9, 1e-3, 3, 12];
    const lrAt = (it: number) => (it < warm ? (lr * it) / warm : (lr * (1 + Math.cos((Math.PI * (it - warm)) / (total - warm)))) / 2);
    // plain PyTorch SGD step: d = g + wd p; buf = d (first) or mom buf + d; p -= lr buf
    const p = Array.from(p0);
    let buf: number[] | null = null;
    gs.forEach((g, it) => {
      const d = p.map((v, i) => g[i]! + wd * v);
      buf = buf === null ? d : buf.map((b, i) => mom * b + d[i]!);
      for (let i = 0; i < n; i++) p[i] = p[i]! - lrAt(it) * buf[i]!;
    });
    const got = run(chain(addDecayedWeights(wd), trace(mom), scaleByLearningRate(warmupCosineDecay({ peak: lr, warmupSteps: warm, steps: total }))), p0, gs);
    for (let i = 0; i < n; i++) expect(got[i]).toBeCloseTo(p[i]!, 12);
  });

  it('Adam (Kingma & Ba, bias-corrected) with a cosine multiplier; the transformation and the call form agree', () => {
    const n = 5;
    const p0 = vec(n);
    const gs = grads(9, n);
    const [lr, b1, b2, eps] = [0.01, 0.9, 0.999, 1e-8];
    const p = Array.from(p0);
    const m = new Array(n).fill(0);
    const v = new Array(n).fill(0);
    gs.forEach((g, k) => {
      const t = k + 1;
      const f = 0.5 * (1 + Math.cos((Math.PI * k) / gs.length));
      for (let i = 0; i < n; i++) {
        m[i] = b1 * m[i] + (1 - b1) * g[i]!;
        v[i] = b2 * v[i] + (1 - b2) * g[i]! ** 2;
        p[i] = p[i]! - (f * lr * (m[i] / (1 - b1 ** t))) / (Math.sqrt(v[i] / (1 - b2 ** t)) + eps);
      }
    });
    const got = run(chain(scaleByAdam({ lr }), scaleBySchedule(cosineDecay({ init: 1, steps: gs.length }))), p0, gs);
    for (let i = 0; i < n; i++) expect(got[i]).toBeCloseTo(p[i]!, 12);
    const callForm = adam({ lr });
    const s1 = callForm.init(n);
    const s2 = scaleByAdam({ lr }).init(n);
    const step = callForm.update(gs[0]!, s1);
    const u = Float64Array.from(gs[0]!);
    scaleByAdam({ lr }).update(u, s2);
    expect(Array.from(u)).toEqual(Array.from(step));
  });

  it("BayesBiNN's momentum: m = beta m + (1 - beta)(g + lambda - lambda0), lambda -= lr m / (1 - beta^t)", () => {
    const n = 4;
    const p0 = vec(n);
    const prior = vec(n);
    const gs = grads(6, n);
    const [lr, beta] = [0.03, 0.99];
    const lam = Array.from(p0);
    const m = new Array(n).fill(0);
    gs.forEach((g, k) => {
      for (let i = 0; i < n; i++) m[i] = beta * m[i] + (1 - beta) * (g[i]! + lam[i]! - prior[i]!);
      for (let i = 0; i < n; i++) lam[i] = lam[i]! - (lr * m[i]) / (1 - beta ** (k + 1));
    });
    const got = run(chain(addDecayedWeights(1, prior), emaBiasCorrected(beta), scaleByLearningRate(lr)), p0, gs);
    for (let i = 0; i < n; i++) expect(got[i]).toBeCloseTo(lam[i]!, 12);
  });

  it('schedules: cosine to an end value, per-epoch stepping (CosineAnnealingLR), step decay, inverse sqrt', () => {
    const c = cosineDecay({ init: 1e-4, end: 1e-16, steps: 10 });
    for (let e = 0; e <= 12; e++) expect(c(e)).toBeCloseTo(1e-16 + ((1e-4 - 1e-16) * (1 + Math.cos((Math.PI * Math.min(e, 10)) / 10))) / 2, 18);
    const perEpoch = perBlock(c, 7);
    expect(perEpoch(0)).toBe(c(0));
    expect(perEpoch(6)).toBe(c(0));
    expect(perEpoch(7)).toBe(c(1));
    const steps = piecewiseConstant({ init: 1e-3, boundaries: [1500, 2500], factor: 0.1 });
    expect([steps(0), steps(1499), steps(1500), steps(2499), steps(2500)]).toEqual([1e-3, 1e-3, 1e-3 * 0.1, 1e-3 * 0.1, 1e-3 * 0.1 * 0.1]);
    const w = warmupCosineDecay({ peak: 2, warmupSteps: 4, steps: 10 });
    expect([w(0), w(2), w(4), w(10)]).toEqual([0, 1, 2, 0]);
    expect(inverseSqrt({ init: 1, scale: 100 })(300)).toBeCloseTo(0.5, 15);
  });

  it('clipping and normalisation', () => {
    const u = Float64Array.from([3, -4, 0.5]);
    clipByValue(1).update(u, null);
    expect(Array.from(u)).toEqual([1, -1, 0.5]);
    const g = Float64Array.from([3, 4]);
    clipByGlobalNorm(1).update(g, null);
    expect(g[0]).toBeCloseTo(0.6, 15);
    expect(g[1]).toBeCloseTo(0.8, 15);
    const short = Float64Array.from([0.3, 0.4]);
    clipByGlobalNorm(1).update(short, null);
    expect(Array.from(short)).toEqual([0.3, 0.4]);
    const r = Float64Array.from([1, -1, 2, 0]);
    normalizeByRms().update(r, null);
    const rms = Math.sqrt((1 + 1 + 4) / 4);
    expect(Array.from(r)).toEqual([1 / rms, -1 / rms, 2 / rms, 0].map((v) => v * 1));
    const zero = new Float64Array(3);
    normalizeByRms().update(zero, null);
    expect(Array.from(zero)).toEqual([0, 0, 0]);
    const s = Float64Array.from([1, 2]);
    scale(Float64Array.from([3, 0.5])).update(s, null);
    expect(Array.from(s)).toEqual([3, 1]);
  });

  it('chain applies left to right (decay before momentum differs from after)', () => {
    const p0 = Float64Array.from([1]);
    const gs = [Float64Array.from([0]), Float64Array.from([0])];
    const a = run(chain(addDecayedWeights(0.5), trace(0.9), scaleByLearningRate(1)), p0, gs);
    // step 1: d = 0.5, buf 0.5, p = 0.5; step 2: d = 0.25, buf 0.7, p = -0.2
    expect(a[0]).toBeCloseTo(-0.2, 15);
    const b = run(chain(trace(0.9), addDecayedWeights(0.5), scaleByLearningRate(1)), p0, gs);
    // step 1: buf 0, u = 0.5, p = 0.5; step 2: buf 0, u = 0.25, p = 0.25
    expect(b[0]).toBeCloseTo(0.25, 15);
  });
});
