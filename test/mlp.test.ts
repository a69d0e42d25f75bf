import { describe, expect, it } from 'vitest';
import { loadProblem } from '../problems/index.js';
import { MlpProblem } from '../problems/mlp.js';
import { loadTrainTest, type DataSource } from '../src/datasets/load.js';
import { modelToJson } from '../src/formats/model.js';
import { referencePredict, type PlainModel } from './model-reference.js';
import { Rng } from '../src/numerics/rng.js';
import { UserError } from '../src/core/errors.js';

import { actOf, reference } from './mlp-reference.js';

const SOURCE: DataSource = { data: 'iris', trainSize: 0, testSize: 0, holdout: 0.3, noise: 0, levels: 4, inputThreshold: 0.5, seed: 2 };

function binaryInputs(X: Float64Array, features: number, count: number): number[][] {
  return Array.from({ length: count }, (_, r) => Array.from(X.subarray(r * features, (r + 1) * features), (v) => (v >= 0.5 ? 1 : -1)));
}

describe('mlp problem', () => {
  const data = loadTrainTest(SOURCE);
  const arch = [16, 7, 5, 3];
  const problem = new MlpProblem('mlp:test', arch, data);
  const trainInputs = binaryInputs(data.train.X, 16, data.train.count);
  const trainLabels = Array.from(data.train.labels);
  const rng = new Rng(9);

  it('counts weights per layer', () => {
    expect(problem.n).toBe(16 * 7 + 7 * 5 + 5 * 3);
    expect(problem.weightGroups).toEqual([112, 35, 15]);
    expect(problem.trainSize).toBe(105);
  });

  it('loss (XNOR-popcount, training-set batch norm) equals an independent float forward pass', () => {
    for (let t = 0; t < 5; t++) {
      const w = Int8Array.from({ length: problem.n }, () => rng.sign());
      const ref = reference(arch, w, trainInputs, trainLabels, false);
      expect(problem.loss(w)).toBeCloseTo(ref.loss, 12);
      expect(problem.score(w).trainError).toBeCloseTo(ref.errors / data.train.count, 12);
    }
  });

  it.each(['full', 'frozen'] as const)('the minibatch gradient (bn=%s) equals an independent straight-through backward pass at real weights', (bn) => {
    const p = new MlpProblem('mlp:test', arch, data, 1, bn);
    const x = Float64Array.from({ length: problem.n }, () => rng.uniform(-1, 1));
    const batch = Int32Array.from([3, 17, 40, 41, 90, 5, 60, 77]);
    const grad = new Float64Array(problem.n);
    const loss = p.minibatchLossAndGradient(x, grad, batch);
    const ref = reference(arch, x, Array.from(batch, (r) => trainInputs[r]!), Array.from(batch, (r) => trainLabels[r]!), true, bn);
    expect(loss).toBeCloseTo(ref.loss, 10);
    let maxDiff = 0;
    for (let i = 0; i < problem.n; i++) maxDiff = Math.max(maxDiff, Math.abs(grad[i]! - ref.grad[i]!));
    expect(maxDiff).toBeLessThan(1e-10);
    expect(Math.max(...Array.from(grad, Math.abs))).toBeGreaterThan(1e-3);
  });

  it('at ±1 weights (the XNOR forward of the relaxed pass) the minibatch gradient equals the independent pass', () => {
    const p = new MlpProblem('mlp:test', arch, data, 1, 'full');
    const x = Float64Array.from({ length: problem.n }, () => rng.sign());
    const batch = Int32Array.from([3, 17, 40, 41, 90, 5, 60, 77, 8, 9]);
    const grad = new Float64Array(problem.n);
    const loss = p.minibatchLossAndGradient(x, grad, batch);
    const ref = reference(arch, x, Array.from(batch, (r) => trainInputs[r]!), Array.from(batch, (r) => trainLabels[r]!), true);
    expect(loss).toBeCloseTo(ref.loss, 10);
    let maxDiff = 0;
    for (let i = 0; i < problem.n; i++) maxDiff = Math.max(maxDiff, Math.abs(grad[i]! - ref.grad[i]!));
    expect(maxDiff).toBeLessThan(1e-10);
    expect(Math.max(...Array.from(grad, Math.abs))).toBeGreaterThan(1e-3);
  });

  it.each(['relu', 'htanh'] as const)('act=%s (binary weights, real activations): binary loss, minibatch gradient and the saved model equal plain float passes', (act) => {
    const p = new MlpProblem('mlp:test', arch, data, 1, 'full', act);
    const w = Int8Array.from({ length: p.n }, () => rng.sign());
    const ref = reference(arch, w, trainInputs, trainLabels, false, 'full', act);
    expect(p.loss(w)).toBeCloseTo(ref.loss, 10);
    expect(p.score(w).trainError).toBeCloseTo(ref.errors / data.train.count, 12);
    expect(p.lossAndGradient(Float64Array.from(w), new Float64Array(p.n))).toBeCloseTo(p.loss(w), 10);
    const x = Float64Array.from({ length: p.n }, () => rng.uniform(-1, 1));
    const batch = Int32Array.from([3, 17, 40, 41, 90, 5, 60, 77]);
    const grad = new Float64Array(p.n);
    const loss = p.minibatchLossAndGradient(x, grad, batch);
    const refG = reference(arch, x, Array.from(batch, (r) => trainInputs[r]!), Array.from(batch, (r) => trainLabels[r]!), true, 'full', act);
    expect(loss).toBeCloseTo(refG.loss, 10);
    let maxDiff = 0;
    for (let i = 0; i < p.n; i++) maxDiff = Math.max(maxDiff, Math.abs(grad[i]! - refG.grad[i]!));
    expect(maxDiff).toBeLessThan(1e-10);
    expect(Math.max(...Array.from(grad, Math.abs))).toBeGreaterThan(1e-3);
    // the saved model, run by a plain float forward written here: act(scale (z - threshold)) per hidden unit
    const model = modelToJson(p.model(w)) as PlainModel & { format: string; activation: string };
    expect(model.format).toBe('bnnrelax.model.v3');
    expect(model.activation).toBe(act);
    const predict = (features: ArrayLike<number>) => {
      let a: number[] = Array.from(features, (v) => (v >= 0.5 ? 1 : -1));
      let scores: number[] = [];
      model.layers.forEach((layer, l) => {
        const z = layer.weights.map((row, j) => layer.scale[j]! * (row.reduce((s, wk, k) => s + wk * a[k]!, 0) - layer.threshold[j]!));
        if (l < model.layers.length - 1) a = z.map((v) => actOf(act, v));
        else scores = z;
      });
      return scores.indexOf(Math.max(...scores));
    };
    let right = 0;
    for (let r = 0; r < data.test.count; r++) if (predict(data.test.X.subarray(r * 16, (r + 1) * 16)) === data.test.labels[r]) right++;
    expect(right / data.test.count).toBeCloseTo(1 - p.score(w).testError!, 12);
  });

  it('dropout=p (relu): each minibatch pass drops units from the seeded stream, and the gradient equals the plain pass with that mask', () => {
    const p = 0.3;
    const dropped = new MlpProblem('mlp:test', arch, data, 1, 'full', 'relu', { p, seed: 5 });
    const plain = new MlpProblem('mlp:test', arch, data, 1, 'full', 'relu');
    // the masks as the stream (seed 5, 'dropout') draws them: hidden layer by layer, sample by sample, unit by unit
    const stream = new Rng(5, 'dropout');
    const drawMasks = (B: number) => arch.slice(1, -1).map((h) => Array.from({ length: B }, () => Array.from({ length: h }, () => (stream.float() >= p ? 1 / (1 - p) : 0))));
    const batch = Int32Array.from([3, 17, 40, 41, 90, 5, 60, 77]);
    const x = Float64Array.from({ length: dropped.n }, () => rng.uniform(-1, 1));
    const inputs = Array.from(batch, (r) => trainInputs[r]!);
    const labels = Array.from(batch, (r) => trainLabels[r]!);
    const grads: Float64Array[] = [];
    for (let call = 0; call < 2; call++) {
      const masks = drawMasks(batch.length);
      expect(masks.flat(2).filter((v) => v === 0).length).toBeGreaterThan(0);
      const grad = new Float64Array(dropped.n);
      const loss = dropped.minibatchLossAndGradient(x, grad, batch);
      const ref = reference(arch, x, inputs, labels, true, 'full', 'relu', masks);
      expect(loss).toBeCloseTo(ref.loss, 10);
      let maxDiff = 0;
      for (let i = 0; i < dropped.n; i++) maxDiff = Math.max(maxDiff, Math.abs(grad[i]! - ref.grad[i]!));
      expect(maxDiff).toBeLessThan(1e-10);
      grads.push(grad);
    }
    // a new mask every call; without dropout the pass is the plain one
    expect(Array.from(grads[0]!)).not.toEqual(Array.from(grads[1]!));
    const g0 = new Float64Array(plain.n);
    const ref0 = reference(arch, x, inputs, labels, true, 'full', 'relu');
    expect(plain.minibatchLossAndGradient(x, g0, batch)).toBeCloseTo(ref0.loss, 10);
    // same seed, same passes: a fresh problem repeats the first call bit for bit
    const again = new Float64Array(dropped.n);
    new MlpProblem('mlp:test', arch, data, 1, 'full', 'relu', { p, seed: 5 }).minibatchLossAndGradient(x, again, batch);
    expect(Array.from(again)).toEqual(Array.from(grads[0]!));
    // the binary network keeps every unit
    const w = Int8Array.from({ length: dropped.n }, () => rng.sign());
    expect(dropped.loss(w)).toBe(plain.loss(w));
    expect(dropped.score(w)).toEqual(plain.score(w));
  });

  it('dropout is refused with sign activations and outside [0, 0.9]', () => {
    expect(() => loadProblem('mlp:data=moons,dropout=0.2')).toThrow(/dropout=0.2 drops real hidden activations: give act=relu/);
    expect(() => loadProblem('mlp:data=moons,act=relu,dropout=0.95')).toThrow(UserError);
    expect(() => loadProblem('mlp:data=moons,act=relu,dropout=-0.1')).toThrow(UserError);
    expect(loadProblem('mlp:data=moons,act=relu,dropout=0.2').spec).toMatch(/dropout=0.2/);
  });

  it('the full-batch relaxed loss at binary weights is the binary loss', () => {
    const w = Int8Array.from({ length: problem.n }, () => rng.sign());
    expect(problem.lossAndGradient(Float64Array.from(w), new Float64Array(problem.n))).toBeCloseTo(problem.loss(w), 12);
  });

  it('the folded model predicts what score counts, on train and test', () => {
    const w = Int8Array.from({ length: problem.n }, () => rng.sign());
    const model = modelToJson(problem.model(w)) as PlainModel;
    const acc = (set: typeof data.train) => {
      let right = 0;
      for (let r = 0; r < set.count; r++) if (referencePredict(model, set.X.subarray(r * 16, (r + 1) * 16)) === set.labels[r]) right++;
      return right / set.count;
    };
    const s = problem.score(w);
    expect(acc(data.train)).toBeCloseTo(1 - s.trainError!, 12);
    expect(acc(data.test)).toBeCloseTo(1 - s.testError!, 12);
  });

  it('refuses an architecture that does not match the data', () => {
    expect(() => loadProblem('mlp:data=moons,arch=2-8-2')).toThrow(/architecture 2-8-2 takes 2 inputs, but moons gives 16 features/);
    expect(() => loadProblem('mlp:data=moons,arch=16-8-3')).toThrow(/has 3 outputs, but moons has 2 classes/);
    expect(() => loadProblem('mlp:data=moons,arch=16-x')).toThrow(UserError);
  });

  it('a single output unit on two classes: the model (class 1 where z >= 0) agrees with score', () => {
    const src: DataSource = { ...SOURCE, data: 'moons', trainSize: 60, testSize: 80, noise: 0.2, levels: 8 };
    const d = loadTrainTest(src);
    const p = new MlpProblem('mlp:single', [16, 1], d);
    for (let t = 0; t < 5; t++) {
      const w = Int8Array.from({ length: p.n }, () => rng.sign());
      const model = modelToJson(p.model(w)) as PlainModel;
      let right = 0;
      for (let r = 0; r < d.test.count; r++) if (referencePredict(model, d.test.X.subarray(r * 16, (r + 1) * 16)) === d.test.labels[r]) right++;
      expect(right / d.test.count).toBeCloseTo(1 - p.score(w).testError!, 12);
      expect(Number.isFinite(p.loss(w))).toBe(true);
    }
  });
});
