/**
 * The binary model file `bnnrelax.model.v1` (JSON), written by `train --save`:
 *   {"format": "bnnrelax.model.v1", "inputThreshold": t,
 *    "layers": [{"weights": [[1,-1,...], ...] (out x in), "threshold": [...], "scale": [...]}, ...]}
 * Input x_i = +1 if feature_i >= t else -1. Each layer computes z_j = dot(w_j, x) - threshold_j;
 * a hidden layer outputs +1 where z_j >= 0 else -1; the last layer scores scale_j * z_j and
 * predicts the argmax (lowest index on ties), or, with a single output, class 1 where z >= 0.
 * This file holds the writer and a plain float forward pass (the reference the XNOR evaluation
 * must agree with).
 */
import { writeFileSync } from 'node:fs';
import { UserError } from './errors.js';

export const MODEL_FORMAT = 'bnnrelax.model.v1';

export interface ModelLayer {
  /** out x in, entries 1 / -1 */
  weights: number[][];
  threshold: number[];
  scale: number[];
}

export interface BinaryModel {
  format: typeof MODEL_FORMAT;
  inputThreshold: number;
  layers: ModelLayer[];
}

export function writeModel(path: string, model: BinaryModel): void {
  try {
    writeFileSync(path, JSON.stringify(model) + '\n');
  } catch (e) {
    throw new UserError(`${path}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/** The predicted class of one feature vector, by the plain float forward pass of the format. */
export function predictClass(model: BinaryModel, features: ArrayLike<number>): number {
  let x = Array.from(features, (v) => (v >= model.inputThreshold ? 1 : -1));
  for (let l = 0; l < model.layers.length; l++) {
    const layer = model.layers[l]!;
    const z = layer.weights.map((row, j) => row.reduce((s, w, i) => s + w * x[i]!, 0) - layer.threshold[j]!);
    if (l < model.layers.length - 1) {
      x = z.map((v) => (v >= 0 ? 1 : -1));
      continue;
    }
    if (z.length === 1) return z[0]! >= 0 ? 1 : 0;
    let best = 0;
    for (let j = 1; j < z.length; j++) if (layer.scale[j]! * z[j]! > layer.scale[best]! * z[best]!) best = j;
    return best;
  }
  throw new RangeError('model has no layers');
}
