import { describe, expect, it } from 'vitest';
import { createSnn, type SnnProblem } from '../problems/snn.js';
import { backward, relaxedForward, type LifNetwork } from '../problems/snn/lif.js';
import { populationRates } from '../problems/snn/encoding.js';
import { parseSpec } from '../src/core/spec.js';
import { loadProblem } from '../problems/index.js';
import { UserError } from '../src/core/errors.js';
import { calibration } from '../src/numerics/calibration.js';
import { mulberry32 } from './helpers.js';

const ALPHA = Math.exp(-1 / 10);
const BETA = Math.exp(-1 / 2);
const GAMMA = Math.exp(-1 / 8);

function small(extra = ''): SnnProblem {
  return createSnn(parseSpec(`snn:data=moons,hidden=6-4,steps=16,burnin=3,neurons=3,train=5,test=4,seed=3${extra}`));
}

function spikeAt(p: SnnProblem, set: 'train' | 'test', sample: number, t: number, i: number): number {
  const { spikes } = p[set];
  const row = sample * p.net.steps + t;
  return (spikes.data[row * spikes.words + (i >>> 5)]! >>> (i & 31)) & 1;
}

/**
 * The authors' LIF layer written out plainly, neuron by neuron, with the input traces P, Q kept
 * per input (not per neuron as in lif.ts): spikes, the summed local loss, the mean last-layer
 * readout, and the DECOLLE gradient (local losses, inputs and refractory held fixed).
 */
function plainSnn(p: SnnProblem, w: ArrayLike<number>, set: 'train' | 'test') {
  const { steps: T, burnin, units, layers } = p.net;
  const count = p[set].count;
  const labels = p[set].labels;
  let loss = 0;
  const meanScores: number[] = [];
  const grad = new Float64Array(p.n);
  for (let b = 0; b < count; b++) {
    let x: number[][] = [];
    for (let t = 0; t < T; t++) x.push(Array.from({ length: p.inputs }, (_, i) => spikeAt(p, set, b, t, i)));
    for (let l = 0; l < layers.length; l++) {
      const { inputs: d, outputs: h, offset, readout } = layers[l]!;
      const c = 1 / Math.sqrt(d);
      const ro = 1 / Math.sqrt(h);
      const P = new Array(d).fill(0);
      const Q = new Array(d).fill(0);
      const R = new Array(h).fill(0);
      let S = new Array(h).fill(0);
      const out: number[][] = [];
      const acc = new Array(units).fill(0);
      for (let t = 0; t < T; t++) {
        for (let i = 0; i < d; i++) {
          P[i] = ALPHA * P[i] + Q[i];
          Q[i] = BETA * Q[i] + x[t]![i]!;
        }
        const U: number[] = [];
        for (let j = 0; j < h; j++) {
          R[j] = GAMMA * R[j] + S[j];
          let z = 0;
          for (let i = 0; i < d; i++) z += w[offset + j * d + i]! * P[i];
          U.push(c * z - R[j]);
        }
        S = U.map((u) => (u >= 0 ? 1 : 0));
        out.push(S);
        if (t < burnin) continue;
        const y: number[] = [];
        for (let k = 0; k < units; k++) {
          let z = 0;
          for (let j = 0; j < h; j++) z += readout[k * h + j]! * S[j];
          y.push(ro * z);
        }
        const label = labels[b]!;
        const dy: number[] = [];
        if (units === 1) {
          const target = label === 1 ? 1 : 0;
          loss += Math.log(1 + Math.exp(y[0]!)) - target * y[0]!;
          dy.push(1 / (1 + Math.exp(-y[0]!)) - target);
        } else {
          const m = Math.max(...y);
          const e = y.map((v) => Math.exp(v - m));
          const s = e.reduce((a, v) => a + v, 0);
          loss += Math.log(s) + m - y[label]!;
          e.forEach((v, k) => dy.push(v / s - (k === label ? 1 : 0)));
        }
        if (l === layers.length - 1) y.forEach((v, k) => (acc[k] += v / (T - burnin)));
        for (let j = 0; j < h; j++) {
          if (Math.abs(U[j]!) > 0.5) continue;
          let gs = 0;
          for (let k = 0; k < units; k++) gs += dy[k]! * readout[k * h + j]! * ro;
          for (let i = 0; i < d; i++) grad[offset + j * d + i]! += (gs * c * P[i]) / count;
        }
      }
      if (l === layers.length - 1) meanScores.push(...acc);
      x = out;
    }
  }
  return { loss: loss / count, meanScores, grad };
}

const randomSigns = (n: number, seed: number) => {
  const r = mulberry32(seed);
  return Int8Array.from({ length: n }, () => (r() < 0.5 ? -1 : 1));
};

describe('snn problem: LIF dynamics', () => {
  it('the binary (XNOR) and relaxed passes agree with a plain per-input LIF re-implementation', () => {
    const p = small();
    for (const seed of [1, 2, 3]) {
      const w = randomSigns(p.n, seed);
      const plain = plainSnn(p, w, 'train');
      expect(p.loss(w)).toBeCloseTo(plain.loss, 9);
      const grad = new Float64Array(p.n);
      const relaxed = p.lossAndGradient(Float64Array.from(w), grad);
      expect(relaxed).toBeCloseTo(plain.loss, 9);
      for (let k = 0; k < p.n; k++) expect(grad[k]).toBeCloseTo(plain.grad[k]!, 9);
      const test = plainSnn(p, w, 'test');
      const probs = p.classProbabilities(w, 'test');
      test.meanScores.forEach((z, r) => expect(probs[2 * r + 1]).toBeCloseTo(1 / (1 + Math.exp(-z)), 9));
      const wrong = test.meanScores.filter((z, r) => (z > 0 ? 1 : 0) !== p.test.labels[r]).length;
      expect(p.score(w).testError).toBeCloseTo(wrong / p.test.count, 12);
    }
  });

  it('spikes happen and the readout is not constant (the comparison is not vacuous)', () => {
    const p = small();
    const w = randomSigns(p.n, 7);
    const grad = new Float64Array(p.n);
    p.lossAndGradient(Float64Array.from(w), grad);
    expect(grad.some((g) => g !== 0)).toBe(true);
    const scores = plainSnn(p, w, 'train').meanScores;
    expect(new Set(scores.map((s) => s.toFixed(9))).size).toBeGreaterThan(1);
  });

  it('multi-class data gets one softmax readout unit per class', () => {
    const p = createSnn(parseSpec('snn:data=iris,hidden=5,steps=10,burnin=2,neurons=2,train=6,test=5,seed=2'));
    expect(p.net.units).toBe(3);
    const w = randomSigns(p.n, 4);
    const plain = plainSnn(p, w, 'train');
    expect(p.loss(w)).toBeCloseTo(plain.loss, 9);
    const grad = new Float64Array(p.n);
    p.lossAndGradient(Float64Array.from(w), grad);
    for (let k = 0; k < p.n; k++) expect(grad[k]).toBeCloseTo(plain.grad[k]!, 9);
  });

  it('population coding: raised cosines centred at k/(K-1), zero outside one spacing', () => {
    const rates = populationRates(0.25, 5);
    [0, 1, 0, 0, 0].forEach((v, k) => expect(rates[k]).toBeCloseTo(v, 12));
    const mid = populationRates(0.125, 5);
    expect(mid[0]).toBeCloseTo(0.5, 12);
    expect(mid[1]).toBeCloseTo(0.5, 12);
    expect(mid[2]).toBeCloseTo(0, 12);
  });
});

describe('snn problem: surrogate gradient', () => {
  it('bptt with the smooth spike clamp(U + 1/2, 0, 1) equals central finite differences', () => {
    const p = createSnn(parseSpec('snn:data=moons,hidden=4-3,steps=12,burnin=2,neurons=3,train=3,test=0,seed=5'));
    const net: LifNetwork = p.net;
    const rows = p.train.count * net.steps;
    const input = new Float64Array(rows * p.inputs);
    for (let b = 0; b < p.train.count; b++) for (let t = 0; t < net.steps; t++) for (let i = 0; i < p.inputs; i++) input[(b * net.steps + t) * p.inputs + i] = spikeAt(p, 'train', b, t, i);
    const labels = p.train.labels;
    const r = mulberry32(11);
    // real weights large enough that the potentials cross the ramp, away from +-1/2 kinks
    const w = Float64Array.from({ length: p.n }, () => 3 * (2 * r() - 1));
    const fwd = relaxedForward(net, w, input, labels, 'smooth');
    const grad = new Float64Array(p.n);
    backward(net, w, fwd, labels, 'bptt', grad);
    const f = (v: Float64Array) => relaxedForward(net, v, input, labels, 'smooth').loss;
    const h = 1e-6;
    let checked = 0;
    for (let k = 0; k < p.n; k++) {
      const plus = Float64Array.from(w);
      const minus = Float64Array.from(w);
      plus[k]! += h;
      minus[k]! -= h;
      const fd = (f(plus) - f(minus)) / (2 * h);
      expect(grad[k]).toBeCloseTo(fd, 5);
      if (Math.abs(fd) > 1e-4) checked++;
    }
    // the gradient reaches both layers, so the chain through time and layers is exercised
    expect(checked).toBeGreaterThan(p.n / 4);
    // and decolle (local losses, fixed inputs and refractory) is a different, truncated gradient
    const local = new Float64Array(p.n);
    backward(net, w, fwd, labels, 'decolle', local);
    expect(local.some((g, k) => Math.abs(g - grad[k]!) > 1e-6)).toBe(true);
  });
});

describe('snn spec', () => {
  it('refuses bad keys and sizes with one-line user errors', () => {
    expect(() => loadProblem('snn:data=moons,hidden=0-4')).toThrow(UserError);
    expect(() => loadProblem('snn:data=moons,burnin=200,steps=100')).toThrow(/burnin/);
    expect(() => loadProblem('snn:data=moons,grad=magic')).toThrow(/grad/);
    expect(() => loadProblem('snn:data=moons,colour=red')).toThrow(/unknown key 'colour'/);
    expect(() => loadProblem('snn:data=/no/such.csv')).toThrow(UserError);
    expect(() => loadProblem('snn:data=moons,train=100000,test=100000,steps=1000')).toThrow(/spike draws/);
  });

  it('is deterministic in its seed and canonical', () => {
    const a = small();
    const b = small();
    expect(a.spec).toBe(b.spec);
    expect(Array.from(a.train.spikes.data)).toEqual(Array.from(b.train.spikes.data));
    expect(loadProblem(a.spec).spec).toBe(a.spec);
  });
});

describe('calibration', () => {
  it('ECE and accuracy match a plain computation', () => {
    const probs = Float64Array.from([0.9, 0.1, 0.2, 0.8, 0.6, 0.4, 0.35, 0.65, 0.5, 0.5]);
    const labels = [0, 0, 1, 1, 1];
    const c = calibration(probs, labels, 2, 10);
    // confidences 0.9 (right), 0.8 (wrong), 0.6 (wrong), 0.65 (right), 0.5 (predicts 0, wrong)
    expect(c.accuracy).toBeCloseTo(2 / 5, 12);
    // bins (0.8,0.9], (0.7,0.8], (0.5,0.6], (0.6,0.7], (0.4,0.5]: one row each
    const plain = (Math.abs(1 - 0.9) + Math.abs(0 - 0.8) + Math.abs(0 - 0.6) + Math.abs(1 - 0.65) + Math.abs(0 - 0.5)) / 5;
    expect(c.ece).toBeCloseTo(plain, 12);
    expect(c.bins.reduce((s, b) => s + b.count, 0)).toBe(5);
  });
});
