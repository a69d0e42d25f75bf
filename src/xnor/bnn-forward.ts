/**
 * The one forward pass of a binary network (issue 9): `problems/mlp.ts` scores its weights with
 * it and `bnnrelax eval` evaluates saved models with it, so training-time accuracy and eval agree
 * by construction. Everything takes in-memory arrays; `eval` only adds file reading.
 *
 * Inputs are binarised: x_i = +1 where feature_i >= inputThreshold. Layer l computes the integer
 * dot products z_j = <w_j, x> with the XNOR-popcount kernels while its inputs are ±1. With sign
 * activations (the model format's default) a hidden layer outputs +1 where z_j >= threshold_j and
 * -1 elsewhere, packed straight into bits for the next layer; every layer is then XNOR-evaluated.
 * With real activations (relu, htanh: binary weights, BinaryConnect) a hidden layer outputs
 * act(scale_j (z_j - threshold_j)) in floating point, and the layers after the first use
 * floating-point dot products with the ±1 weights: only the first layer runs on the XNOR kernels.
 * The last layer's scores are (z_j - threshold_j) * scale_j * gain; the prediction is their argmax
 * (lowest index on ties), or for one output, class 1 where z >= threshold.
 *
 * Batch norm is folded: `foldedPass` computes each layer's mean and 1/sqrt(var + 1e-5) over the
 * rows it is given (the training set) and uses them as threshold and scale, as trained.
 */
import { unpackSigns, wordsFor, type PackedMatrix } from '../core/bits.js';
import type { Activation, BinaryLayer, BinaryModel } from '../formats/model.js';
import type { XnorBackend } from './backend.js';
import { defaultXnorBackend } from './index.js';

export type { WeightDistribution } from '../formats/model.js';

/** Samples per kernel call: bounds the buffers (samples x outputs) of large data sets. */
const BATCH = 8192;
const VARIANCE_EPS = 1e-5;

/** x_i = +1 where feature_i >= threshold, packed (samples x width), from sample `first` on. */
export function binarizeInputs(features: ArrayLike<number>, samples: number, width: number, threshold: number, first = 0): PackedMatrix {
  const words = wordsFor(width);
  const data = new Uint32Array(samples * words);
  for (let s = 0; s < samples; s++) {
    const row = (first + s) * width;
    for (let w = 0; w < words; w++) {
      const end = Math.min(width, 32 * w + 32);
      let bits = 0;
      for (let c = 32 * w; c < end; c++) if (features[row + c]! >= threshold) bits |= 1 << (c & 31);
      data[s * words + w] = bits;
    }
  }
  return { rows: samples, bits: width, words, data };
}

/** Folded batch-norm statistics of one layer. */
export interface LayerStats {
  mean: Float64Array;
  invStd: Float64Array;
}

/** Column means and 1/sqrt(var + eps) of a rows x cols matrix: one formula for every path (training and folding). */
export function columnStats(z: ArrayLike<number>, rows: number, cols: number): LayerStats {
  const mean = new Float64Array(cols);
  const invStd = new Float64Array(cols);
  for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) mean[j]! += z[r * cols + j]!;
  for (let j = 0; j < cols; j++) mean[j] = mean[j]! / rows;
  const varSum = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < cols; j++) {
      const d = z[r * cols + j]! - mean[j]!;
      varSum[j]! += d * d;
    }
  }
  for (let j = 0; j < cols; j++) invStd[j] = 1 / Math.sqrt(varSum[j]! / rows + VARIANCE_EPS);
  return { mean, invStd };
}

/** A real activation applied to a normalised pre-activation. */
export function activate(activation: Activation, v: number): number {
  if (activation === 'relu') return v > 0 ? v : 0;
  if (activation === 'htanh') return v > 1 ? 1 : v < -1 ? -1 : v;
  return v >= 0 ? 1 : -1;
}

/** Hidden activations between layers: packed signs, or real values (rows x width). */
type Acts = { packed: PackedMatrix } | { real: Float64Array; rows: number; width: number };

/** z = acts W' for ±1 weights W (outputs x inputs, packed): XNOR kernels on packed signs, else floating point. */
function preActivations(backend: XnorBackend, acts: Acts, weights: PackedMatrix): Float64Array {
  if ('packed' in acts) return Float64Array.from(backend.gemm(acts.packed, weights));
  const { real, rows, width } = acts;
  const out = weights.rows;
  const z = new Float64Array(rows * out);
  const w = new Int8Array(width);
  for (let j = 0; j < out; j++) {
    w.set(unpackSigns(weights.data, width, j * weights.words));
    for (let r = 0; r < rows; r++) {
      let s = 0;
      const base = r * width;
      for (let i = 0; i < width; i++) s += w[i]! > 0 ? real[base + i]! : -real[base + i]!;
      z[r * out + j] = s;
    }
  }
  return z;
}

/** The layer's outputs from its pre-activations z, threshold t and scale s. */
function hiddenOutputs(activation: Activation, z: Float64Array, rows: number, t: ArrayLike<number>, s: ArrayLike<number>): Acts {
  const n = t.length;
  if (activation === 'sign') {
    const words = wordsFor(n);
    const data = new Uint32Array(rows * words);
    for (let r = 0; r < rows; r++) {
      const row = r * n;
      for (let w = 0; w < words; w++) {
        const end = Math.min(n, 32 * w + 32);
        let bits = 0;
        for (let j = 32 * w; j < end; j++) if (z[row + j]! >= t[j]!) bits |= 1 << (j & 31);
        data[r * words + w] = bits;
      }
    }
    return { packed: { rows, bits: n, words, data } };
  }
  const real = new Float64Array(rows * n);
  for (let r = 0; r < rows; r++) for (let j = 0; j < n; j++) real[r * n + j] = activate(activation, (z[r * n + j]! - t[j]!) * s[j]!);
  return { real, rows, width: n };
}

/** The network, as the pass reads it: weights per layer, the activation, and (unfolded) thresholds and scales. */
export interface Network {
  readonly activation?: Activation;
  readonly layers: readonly { readonly weights: PackedMatrix; readonly threshold?: ArrayLike<number>; readonly scale?: ArrayLike<number> }[];
}

/**
 * Scores (rows x outputs) of packed ±1 inputs. `stats` given (or computed with `fold`), each
 * layer uses threshold = mean and scale = 1/sigma; otherwise the network's own thresholds and
 * scales. Returns the statistics it used when folding.
 */
export function networkPass(
  net: Network,
  X: PackedMatrix,
  options: { backend?: XnorBackend; gain?: number; fold?: boolean; stats?: readonly LayerStats[] } = {},
): { scores: Float64Array; stats?: LayerStats[] } {
  const backend = options.backend ?? defaultXnorBackend();
  const gain = options.gain ?? 1;
  const activation = net.activation ?? 'sign';
  const used: LayerStats[] = [];
  let acts: Acts = { packed: X };
  const rows = X.rows;
  for (let l = 0; l < net.layers.length; l++) {
    const layer = net.layers[l]!;
    const z = preActivations(backend, acts, layer.weights);
    const outputs = layer.weights.rows;
    let t: ArrayLike<number>;
    let s: ArrayLike<number>;
    if (options.fold || options.stats) {
      const st = options.stats ? options.stats[l]! : columnStats(z, rows, outputs);
      used.push(st);
      t = st.mean;
      s = st.invStd;
    } else {
      t = layer.threshold ?? new Float64Array(outputs);
      s = layer.scale ?? new Float64Array(outputs).fill(1);
    }
    if (l < net.layers.length - 1) {
      acts = hiddenOutputs(activation, z, rows, t, s);
      continue;
    }
    for (let r = 0; r < rows; r++) for (let j = 0; j < outputs; j++) z[r * outputs + j] = (z[r * outputs + j]! - t[j]!) * s[j]! * gain;
    return { scores: z, ...(options.fold || options.stats ? { stats: used } : {}) };
  }
  throw new RangeError('the network has no layers');
}

/**
 * The model file form of a network folded with `stats`: thresholds are the means; the last scale
 * is gain / sigma; hidden scales are 1 / sigma for real activations and 1 (unused) for signs.
 */
export function foldedModel(
  weights: readonly PackedMatrix[],
  stats: readonly LayerStats[],
  extra: { inputThreshold: number; activation?: Activation; gain?: number },
): BinaryModel {
  const gain = extra.gain ?? 1;
  const real = extra.activation !== undefined && extra.activation !== 'sign';
  const layers: BinaryLayer[] = weights.map((w, l) => ({
    inputs: w.bits,
    outputs: w.rows,
    weights: w,
    threshold: Float64Array.from(stats[l]!.mean),
    scale: l === weights.length - 1 ? Float64Array.from(stats[l]!.invStd, (v) => v * gain) : real ? Float64Array.from(stats[l]!.invStd) : new Float64Array(w.rows).fill(1),
  }));
  return { inputThreshold: extra.inputThreshold, layers, ...(real ? { activation: extra.activation } : {}) };
}

/** Predicted class of each score row: argmax, lowest index on ties; one column: class 1 where >= 0. */
export function predictions(scores: Float64Array, rows: number, cols: number): Int32Array {
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    if (cols === 1) {
      out[r] = scores[r]! >= 0 ? 1 : 0;
      continue;
    }
    let best = 0;
    for (let j = 1; j < cols; j++) if (scores[r * cols + j]! > scores[r * cols + best]!) best = j;
    out[r] = best;
  }
  return out;
}

/** Scores of every sample (features: samples x width, row-major), in batches. */
export function modelScores(model: BinaryModel, features: ArrayLike<number>, samples: number, backend: XnorBackend = defaultXnorBackend()): Float64Array {
  const width = model.layers[0]!.inputs;
  if (features.length !== samples * width) throw new RangeError(`predict: ${features.length} feature values for ${samples} samples of width ${width}`);
  const outputs = model.layers[model.layers.length - 1]!.outputs;
  const out = new Float64Array(samples * outputs);
  for (let s0 = 0; s0 < samples; s0 += BATCH) {
    const count = Math.min(BATCH, samples - s0);
    const X = binarizeInputs(features, count, width, model.inputThreshold, s0);
    out.set(networkPass(model, X, { backend }).scores, s0 * outputs);
  }
  return out;
}

/** Predicted class of every sample. One output: class 1 where z >= threshold (whatever the scale's sign). */
export function predict(model: BinaryModel, features: ArrayLike<number>, samples: number, backend: XnorBackend = defaultXnorBackend()): Int32Array {
  const last = model.layers[model.layers.length - 1]!;
  if (last.outputs === 1) {
    // the decision z >= threshold does not depend on the scale (which may be 0 or negative in a file)
    const unit = { ...model, layers: [...model.layers.slice(0, -1), { ...last, scale: new Float64Array(1).fill(1) }] };
    return predictions(modelScores(unit, features, samples, backend), samples, 1);
  }
  return predictions(modelScores(model, features, samples, backend), samples, last.outputs);
}

export interface Evaluation {
  accuracy: number;
  samples: number;
  correct: number;
}

/** Accuracy of the model on labelled samples. */
export function evaluateModel(
  model: BinaryModel,
  data: { features: ArrayLike<number>; labels: ArrayLike<number>; samples: number },
  backend: XnorBackend = defaultXnorBackend(),
): Evaluation {
  const predicted = predict(model, data.features, data.samples, backend);
  let correct = 0;
  for (let s = 0; s < data.samples; s++) if (predicted[s] === data.labels[s]) correct++;
  return { accuracy: data.samples === 0 ? 0 : correct / data.samples, samples: data.samples, correct };
}

