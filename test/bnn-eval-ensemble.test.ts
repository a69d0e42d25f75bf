/**
 * Ensembles drawn from a saved distribution (src/xnor/ensemble.ts, `eval --samples`), checked
 * against plain computations written here: ECE and NLL by their definitions, and the ensemble's
 * class probabilities as the mean over members each run by the problem's own folded model and a
 * plain float forward pass.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProblem } from '../problems/index.js';
import type { MlpProblem } from '../problems/mlp.js';
import { calibration, classProbabilities, evaluateEnsemble, sampleWeights } from '../src/xnor/ensemble.js';
import { loadRawTrainTest, loadTrainTest } from '../src/datasets/load.js';
import { modelToJson, parseModel, type BinaryModel } from '../src/formats/model.js';
import { Rng } from '../src/numerics/rng.js';
import { runCli } from '../src/cli/cli.js';
import { bufferIo } from '../src/core/io.js';
import type { PlainModel } from './model-reference.js';

/** Plain float scores of one feature vector under a plain (JSON) sign model. */
function plainScores(model: PlainModel, features: ArrayLike<number>, threshold: number): number[] {
  let x = Array.from(features, (v) => (v >= threshold ? 1 : -1));
  let out: number[] = [];
  model.layers.forEach((layer, l) => {
    const z = layer.weights.map((w, j) => w.reduce((s, wk, k) => s + wk * x[k]!, 0) - layer.threshold[j]!);
    if (l < model.layers.length - 1) x = z.map((v) => (v >= 0 ? 1 : -1));
    else out = z.map((v, j) => v * layer.scale[j]!);
  });
  return out;
}

const softmax = (s: number[]) => {
  const m = Math.max(...s);
  const e = s.map((v) => Math.exp(v - m));
  const t = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / t);
};

describe('calibration figures', () => {
  it('ECE over 15 bins and NLL equal their definitions', () => {
    const rng = new Rng(3);
    const rows = 400;
    const C = 4;
    const probs = new Float64Array(rows * C);
    const labels = new Int32Array(rows);
    for (let r = 0; r < rows; r++) {
      const p = softmax(Array.from({ length: C }, () => 2 * rng.normal()));
      probs.set(p, r * C);
      labels[r] = rng.int(C);
    }
    const got = calibration(probs, labels, C);
    let nll = 0;
    let right = 0;
    const bins = Array.from({ length: 15 }, () => ({ n: 0, conf: 0, acc: 0 }));
    for (let r = 0; r < rows; r++) {
      const p = Array.from(probs.subarray(r * C, (r + 1) * C));
      const pred = p.indexOf(Math.max(...p));
      const conf = p[pred]!;
      const bin = bins.find((_, b) => conf > b / 15 && conf <= (b + 1) / 15)!;
      bin.n++;
      bin.conf += conf;
      bin.acc += pred === labels[r] ? 1 : 0;
      right += pred === labels[r] ? 1 : 0;
      nll -= Math.log(p[labels[r]!]!);
    }
    const ece = bins.reduce((s, b) => s + (b.n ? (b.n / rows) * Math.abs(b.acc / b.n - b.conf / b.n) : 0), 0);
    expect(got.accuracy).toBe(right / rows);
    expect(got.nll).toBeCloseTo(nll / rows, 12);
    expect(got.ece).toBeCloseTo(ece, 12);
    expect(got.ece).toBeGreaterThan(0.01);
  });
});

describe('ensembles of sampled binary networks', () => {
  const problem = loadProblem('mlp:data=moons,arch=16-8-2,seed=2') as MlpProblem;
  const data = loadTrainTest({ data: 'moons', trainSize: 200, testSize: 1000, holdout: 0.3, noise: 0.2, levels: 8, inputThreshold: 0.5, seed: 2 });
  const test = { features: data.test.X, labels: data.test.labels, samples: data.test.count };
  const rng = new Rng(5);
  const logits = Float64Array.from({ length: problem.n }, () => 1.5 * rng.normal());
  const single = Int8Array.from(logits, (v) => (v >= 0 ? 1 : -1));
  const saved: BinaryModel = { ...problem.model(single), gain: 1, distribution: { kind: 'bernoulli', logits }, calibration: problem.calibrationInputs(100000) };

  it('the ensemble is the mean of its members, each folded over the training rows and run by a plain float pass', () => {
    const L = 6;
    const r = evaluateEnsemble(saved, test, L, new Rng(9, 'members'));
    // the members again, from the same stream, through the problem's own folded model
    const draw = new Rng(9, 'members');
    const mean = new Float64Array(test.samples * 2);
    for (let m = 0; m < L; m++) {
      const w = sampleWeights(saved.distribution!, problem.n, draw);
      const plain = modelToJson(problem.model(w)) as PlainModel;
      for (let s = 0; s < test.samples; s++) {
        const p = softmax(plainScores(plain, test.features.subarray(s * 16, (s + 1) * 16), 0.5));
        mean[2 * s]! += p[0]! / L;
        mean[2 * s + 1]! += p[1]! / L;
      }
    }
    const want = calibration(mean, test.labels, 2);
    expect(r.ensemble.accuracy).toBe(want.accuracy);
    expect(r.ensemble.nll).toBeCloseTo(want.nll, 10);
    expect(r.ensemble.ece).toBeCloseTo(want.ece, 10);
    expect(r.memberAccuracy).toHaveLength(L);
    // members differ from each other (the distribution is not a point mass)
    expect(new Set(r.memberAccuracy).size).toBeGreaterThan(1);
  });

  it('a point-mass distribution gives back the single network; the v2 file round-trips', () => {
    const point: BinaryModel = { ...saved, distribution: { kind: 'bernoulli', logits: Float64Array.from(single, (v) => 60 * v) } };
    const r = evaluateEnsemble(point, test, 3, new Rng(1));
    expect(r.ensemble.accuracy).toBe(r.single.accuracy);
    expect(r.ensemble.nll).toBeCloseTo(r.single.nll, 12);
    const back = parseModel(JSON.stringify(modelToJson(saved)), 'x.json');
    expect(back.distribution?.kind).toBe('bernoulli');
    expect(Array.from((back.distribution as { logits: Float64Array }).logits)).toEqual(Array.from(logits));
    expect(back.calibration?.rows).toBe(problem.trainSize);
    expect(Array.from(back.calibration!.data)).toEqual(Array.from(saved.calibration!.data));
  });

  it('classProbabilities: softmax rows, and one output as a sigmoid', () => {
    expect(Array.from(classProbabilities(Float64Array.from([0, Math.log(3)]), 1, 2))).toEqual([0.25, 0.75].map((v) => expect.closeTo(v, 15)) as never);
    const one = classProbabilities(Float64Array.from([0]), 1, 1);
    expect(Array.from(one)).toEqual([0.5, 0.5]);
  });

  it('bnnrelax eval --samples prints single and ensemble accuracy, ECE and NLL; refuses models without a distribution (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bnnrelax-ens-'));
    const model = join(dir, 'bb.json');
    const io = bufferIo();
    expect(await runCli(['train', '--data', 'moons', '--arch', '16-8-2', '--solver', 'bayesbinn', '--epochs', '4', '--seed', '2', '--save', model], io)).toBe(0);
    // the raw test points (2 features): eval applies the model's input encoding to them
    const raw = loadRawTrainTest({ data: 'moons', trainSize: 200, testSize: 1000, holdout: 0.3, noise: 0.2, seed: 2 }).test;
    const csv = join(dir, 'test.csv');
    const lines: string[] = [];
    for (let s = 0; s < raw.count; s++) lines.push([...Array.from(raw.X.subarray(s * 2, (s + 1) * 2)), raw.labels[s]].join(','));
    writeFileSync(csv, lines.join('\n') + '\n');
    const e = bufferIo();
    expect(await runCli(['eval', '--model', model, '--data', csv, '--samples', '5'], e)).toBe(0);
    expect(e.stdout).toMatch(/single \(saved\)\s+0\.\d{4}\s+0\.\d{4}\s+\d+\.\d{4}/);
    expect(e.stdout).toMatch(/ensemble of 5\s+0\.\d{4}\s+0\.\d{4}\s+\d+\.\d{4}/);
    const j = bufferIo();
    expect(await runCli(['eval', '--model', model, '--data', csv, '--samples', '5', '--json'], j)).toBe(0);
    const out = JSON.parse(j.stdout);
    expect(out.members).toBe(5);
    expect(out.distribution).toBe('bernoulli');
    const plain = join(dir, 'ste.json');
    expect(await runCli(['train', '--data', 'moons', '--arch', '16-8-2', '--epochs', '2', '--save', plain], bufferIo())).toBe(0);
    const bad = bufferIo();
    expect(await runCli(['eval', '--model', plain, '--data', csv, '--samples', '5'], bad)).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/no saved distribution/);
  });
});
