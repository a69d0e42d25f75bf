/**
 * Forward pass of a binary model (src/model.ts) with XNOR-popcount kernels, and accuracy on a
 * labelled data set. Everything takes in-memory arrays; `bnnrelax eval` only adds file reading.
 *
 * Layer l computes z_j = <w_j, x> - threshold_j with integer dot products from the kernel. A
 * hidden layer outputs +1 where z_j >= 0 (that is, dot >= threshold_j) and -1 elsewhere, packed
 * straight into bits for the next layer; the last layer's scores are scale_j * z_j and the
 * prediction is their argmax (lowest index on ties), or for one output, class 1 where z >= 0.
 */
import { wordsFor, type PackedMatrix } from '../core/bits.js';
import type { BinaryLayer, BinaryModel } from '../formats/model.js';
import type { XnorBackend } from './backend.js';
import { defaultXnorBackend } from './index.js';

/** Samples per kernel call: bounds the integer buffers (samples x outputs) of large data sets. */
const BATCH = 8192;

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

/** The fused hidden layer: sign(<w_j, x> - threshold_j) for every sample, packed. */
export function binaryLayer(backend: XnorBackend, X: PackedMatrix, layer: BinaryLayer): PackedMatrix {
  const dots = backend.gemm(X, layer.weights);
  const n = layer.outputs;
  const words = wordsFor(n);
  const data = new Uint32Array(X.rows * words);
  const t = layer.threshold;
  for (let s = 0; s < X.rows; s++) {
    const row = s * n;
    for (let w = 0; w < words; w++) {
      const end = Math.min(n, 32 * w + 32);
      let bits = 0;
      for (let j = 32 * w; j < end; j++) if (dots[row + j]! >= t[j]!) bits |= 1 << (j & 31);
      data[s * words + w] = bits;
    }
  }
  return { rows: X.rows, bits: n, words, data };
}

/** Class of each row of the packed inputs. */
function predictPacked(model: BinaryModel, X: PackedMatrix, backend: XnorBackend): Int32Array {
  let h = X;
  const layers = model.layers;
  for (let l = 0; l < layers.length - 1; l++) h = binaryLayer(backend, h, layers[l]!);
  const last = layers[layers.length - 1]!;
  const dots = backend.gemm(h, last.weights);
  const n = last.outputs;
  const classes = new Int32Array(X.rows);
  for (let s = 0; s < X.rows; s++) {
    if (n === 1) {
      classes[s] = dots[s]! - last.threshold[0]! >= 0 ? 1 : 0;
      continue;
    }
    let best = 0;
    let bestScore = -Infinity;
    for (let j = 0; j < n; j++) {
      const score = last.scale[j]! * (dots[s * n + j]! - last.threshold[j]!);
      if (score > bestScore) {
        bestScore = score;
        best = j;
      }
    }
    classes[s] = best;
  }
  return classes;
}

/** Predicted class of every sample (features: samples x width, row-major). */
export function predict(model: BinaryModel, features: ArrayLike<number>, samples: number, backend: XnorBackend = defaultXnorBackend()): Int32Array {
  const width = model.layers[0]!.inputs;
  if (features.length !== samples * width) throw new RangeError(`predict: ${features.length} feature values for ${samples} samples of width ${width}`);
  const out = new Int32Array(samples);
  for (let s0 = 0; s0 < samples; s0 += BATCH) {
    const count = Math.min(BATCH, samples - s0);
    const X = binarizeInputs(features, count, width, model.inputThreshold, s0);
    out.set(predictPacked(model, X, backend), s0);
  }
  return out;
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
