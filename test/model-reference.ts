/**
 * The reference forward pass of `bnnrelax.model.v1`, written out here from the format's
 * definition (README) in plain floating point, independently of src/ (the XNOR kernels, the
 * packed weights and the model reader), so that tests can check src/ against it.
 */

/** The plain JSON form of a model, as `modelToJson` and `train --save` write it. */
export interface PlainModel {
  inputThreshold: number;
  layers: { weights: number[][]; threshold: number[]; scale: number[] }[];
}

/** The predicted class of one feature vector. */
export function referencePredict(model: PlainModel, features: ArrayLike<number>): number {
  let x = Array.from(features, (v) => (v >= model.inputThreshold ? 1 : -1));
  const last = model.layers.length - 1;
  let result = -1;
  model.layers.forEach((layer, l) => {
    const z = layer.weights.map((w, j) => w.reduce((s, wk, k) => s + wk * x[k]!, 0) - layer.threshold[j]!);
    if (l < last) {
      x = z.map((v) => (v >= 0 ? 1 : -1));
      return;
    }
    if (z.length === 1) {
      result = z[0]! >= 0 ? 1 : 0;
      return;
    }
    const scores = z.map((v, j) => layer.scale[j]! * v);
    result = scores.indexOf(Math.max(...scores)); // first index of the maximum
  });
  return result;
}

/** Accuracy on `labels.length` samples of `width` features each (X row-major). */
export function referenceAccuracy(model: PlainModel, X: ArrayLike<number>, labels: ArrayLike<number>, width: number): number {
  let right = 0;
  for (let r = 0; r < labels.length; r++) {
    if (referencePredict(model, Array.prototype.slice.call(X, r * width, (r + 1) * width) as number[]) === labels[r]) right++;
  }
  return right / labels.length;
}
