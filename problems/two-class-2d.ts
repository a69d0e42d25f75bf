/**
 * The 200-point two-class 2-D set of the estimator study: class +1 uniform on the rectangle
 * [-pi/2, pi/2] x [0, 1]; class -1 uniform under the curve y < cos(x) on [-pi/2, pi/2] x [-1, 1]
 * (rejection sampling). The classes overlap, so no classifier is perfect.
 */
import { Rng } from '../src/numerics/rng.js';

export interface LabelledPoints {
  /** row-major count x 2 */
  X: Float64Array;
  /** labels +1 / -1 */
  y: Float64Array;
  count: number;
}

export function twoClass2d(perClass: number, rng: Rng): LabelledPoints {
  const count = 2 * perClass;
  const X = new Float64Array(2 * count);
  const y = new Float64Array(count);
  const h = Math.PI / 2;
  for (let j = 0; j < perClass; j++) {
    X[2 * j] = rng.uniform(-h, h);
    X[2 * j + 1] = rng.uniform(0, 1);
    y[j] = 1;
  }
  for (let j = perClass; j < count; j++) {
    let px: number;
    let py: number;
    do {
      px = rng.uniform(-h, h);
      py = rng.uniform(-1, 1);
    } while (!(py < Math.cos(px)));
    X[2 * j] = px;
    X[2 * j + 1] = py;
    y[j] = -1;
  }
  return { X, y, count };
}
