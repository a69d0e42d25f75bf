/**
 * Two interleaving half circles (scikit-learn's make_moons): class 0 on (cos t, sin t), class 1 on
 * (1 - cos t, 1/2 - sin t), t uniform on [0, pi], plus Gaussian noise of standard deviation
 * `noise`. Seeded; half of the points in each class (the odd one in class 0).
 */
import type { Rng } from '../numerics/rng.js';
import { makeDataset, type Dataset } from './dataset.js';

export function twoMoons(count: number, noise: number, rng: Rng): Dataset {
  const X = new Float64Array(count * 2);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const label = i < Math.ceil(count / 2) ? 0 : 1;
    const t = Math.PI * rng.float();
    const x = label === 0 ? Math.cos(t) : 1 - Math.cos(t);
    const y = label === 0 ? Math.sin(t) : 0.5 - Math.sin(t);
    X[2 * i] = x + noise * rng.normal();
    X[2 * i + 1] = y + noise * rng.normal();
    labels[i] = label;
  }
  return makeDataset('moons', 2, X, labels);
}
