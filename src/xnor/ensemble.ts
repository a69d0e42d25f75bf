/**
 * Ensembles of binary networks drawn from a learnt distribution (vispa's V, bayesbinn's lambda,
 * md's logits; src/formats/model.ts), and the calibration figures the Bayesian papers report.
 *
 * Each sampled network is a binary network like any other: its batch-norm statistics are
 * computed over the model's calibration rows (binarised training inputs saved by `train --save`),
 * as the single network's were over the whole training set, and it is evaluated with the one
 * forward pass of bnn-forward.ts (XNOR kernels for every sign layer). The ensemble's prediction is
 * the mean of the members' class probabilities (softmax of the scores; a sigmoid for one output),
 * the Bayesian model average of BayesBiNN's get_mc_predictions; VISPA's main_sdp_cifar.py
 * averages the logits instead.
 */
import { packRows, type PackedMatrix } from '../core/bits.js';
import type { BinaryModel, WeightDistribution } from '../formats/model.js';
import type { Rng } from '../numerics/rng.js';
import type { XnorBackend } from './backend.js';
import { binarizeInputs, networkPass } from './bnn-forward.js';
import { defaultXnorBackend } from './index.js';

/** Draws one binary weight vector from a learnt distribution. */
export function sampleWeights(distribution: WeightDistribution, n: number, rng: Rng, out = new Int8Array(n)): Int8Array {
  if (distribution.kind === 'bernoulli') {
    const { logits } = distribution;
    for (let i = 0; i < n; i++) out[i] = rng.float() * (1 + Math.exp(-logits[i]!)) < 1 ? 1 : -1;
    return out;
  }
  const { rank: k, groups, V } = distribution;
  const r = new Float64Array(k);
  let i = 0;
  for (const size of groups) {
    r[0] = 1;
    for (let c = 1; c < k; c++) r[c] = rng.normal();
    for (const end = i + size; i < end; i++) {
      let s = 0;
      for (let c = 0; c < k; c++) s += V[i * k + c]! * r[c]!;
      out[i] = s >= 0 ? 1 : -1;
    }
  }
  return out;
}

/** The weight matrices of a flat weight vector in the model's layer shapes. */
export function layerWeights(model: BinaryModel, w: ArrayLike<number>): PackedMatrix[] {
  let at = 0;
  return model.layers.map((layer) => {
    const size = layer.inputs * layer.outputs;
    const m = packRows(Array.prototype.slice.call(w, at, at + size) as number[], layer.outputs, layer.inputs);
    at += size;
    return m;
  });
}

/** Class probabilities (rows x classes) from scores: softmax, or for one output sigmoid as [1 - p, p]. */
export function classProbabilities(scores: Float64Array, rows: number, cols: number): Float64Array {
  const classes = cols === 1 ? 2 : cols;
  const out = new Float64Array(rows * classes);
  for (let r = 0; r < rows; r++) {
    if (cols === 1) {
      const p = 1 / (1 + Math.exp(-scores[r]!));
      out[2 * r] = 1 - p;
      out[2 * r + 1] = p;
      continue;
    }
    let max = -Infinity;
    for (let j = 0; j < cols; j++) max = Math.max(max, scores[r * cols + j]!);
    let sum = 0;
    for (let j = 0; j < cols; j++) sum += Math.exp(scores[r * cols + j]! - max);
    for (let j = 0; j < cols; j++) out[r * cols + j] = Math.exp(scores[r * cols + j]! - max) / sum;
  }
  return out;
}

export interface Calibration {
  accuracy: number;
  /** expected calibration error over `bins` equal-width confidence bins (Guo et al. 2017) */
  ece: number;
  /** mean negative log-likelihood of the true class (probabilities floored at 1e-12) */
  nll: number;
}

/** Accuracy, ECE and NLL of class probabilities (rows x classes); the prediction is the argmax, lowest index on ties. */
export function calibration(probs: Float64Array, labels: ArrayLike<number>, classes: number, bins = 15): Calibration {
  const rows = labels.length;
  const count = new Float64Array(bins);
  const conf = new Float64Array(bins);
  const right = new Float64Array(bins);
  let correct = 0;
  let nll = 0;
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let j = 1; j < classes; j++) if (probs[r * classes + j]! > probs[r * classes + best]!) best = j;
    const c = probs[r * classes + best]!;
    // bin b holds confidences in (b / bins, (b + 1) / bins]
    const b = Math.min(bins - 1, Math.max(0, Math.ceil(c * bins) - 1));
    count[b]! += 1;
    conf[b]! += c;
    const hit = best === labels[r] ? 1 : 0;
    right[b]! += hit;
    correct += hit;
    nll -= Math.log(Math.max(1e-12, probs[r * classes + labels[r]!]!));
  }
  let ece = 0;
  for (let b = 0; b < bins; b++) if (count[b]! > 0) ece += Math.abs(right[b]! - conf[b]!) / rows;
  return { accuracy: rows === 0 ? 0 : correct / rows, ece, nll: rows === 0 ? 0 : nll / rows };
}

export interface EnsembleEvaluation {
  single: Calibration;
  ensemble: Calibration;
  members: number;
  /** wall-clock milliseconds per sampled network (sampling, folding and evaluating it) */
  msPerMember: number;
  /** accuracy of each member alone */
  memberAccuracy: number[];
}

/**
 * The saved single network and an ensemble of `samples` networks drawn from the model's
 * distribution, on labelled data; calibration figures for both.
 */
export function evaluateEnsemble(
  model: BinaryModel,
  data: { features: ArrayLike<number>; labels: ArrayLike<number>; samples: number },
  samples: number,
  rng: Rng,
  backend: XnorBackend = defaultXnorBackend(),
): EnsembleEvaluation {
  const distribution = model.distribution;
  const calibrationRows = model.calibration;
  if (!distribution || !calibrationRows) throw new RangeError('evaluateEnsemble: the model has no distribution or no calibration rows');
  const width = model.layers[0]!.inputs;
  const outputs = model.layers[model.layers.length - 1]!.outputs;
  const classes = outputs === 1 ? 2 : outputs;
  const X = binarizeInputs(data.features, data.samples, width, model.inputThreshold);
  const singleProbs = classProbabilities(networkPass(model, X, { backend }).scores, data.samples, outputs);
  const n = model.layers.reduce((s, l) => s + l.inputs * l.outputs, 0);
  const mean = new Float64Array(data.samples * classes);
  const w = new Int8Array(n);
  const memberAccuracy: number[] = [];
  const start = performance.now();
  for (let m = 0; m < samples; m++) {
    sampleWeights(distribution, n, rng, w);
    const net = { activation: model.activation, layers: layerWeights(model, w).map((weights) => ({ weights })) };
    const { stats } = networkPass(net, calibrationRows, { backend, fold: true });
    const probs = classProbabilities(networkPass(net, X, { backend, stats, gain: model.gain ?? 1 }).scores, data.samples, outputs);
    for (let k = 0; k < mean.length; k++) mean[k]! += probs[k]! / samples;
    memberAccuracy.push(calibration(probs, data.labels, classes).accuracy);
  }
  const msPerMember = samples > 0 ? (performance.now() - start) / samples : 0;
  return { single: calibration(singleProbs, data.labels, classes), ensemble: calibration(mean, data.labels, classes), members: samples, msPerMember, memberAccuracy };
}
