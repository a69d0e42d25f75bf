/**
 * The 200-point two-class 2-D set of the estimator study: class +1 uniform on the rectangle
 * [-pi/2, pi/2] x [0, 1]; class -1 uniform under the curve y < cos(x) on [-pi/2, pi/2] x [-1, 1]
 * (rejection sampling). The classes overlap, so no classifier is perfect.
 */
import { UserError } from '../src/core/errors.js';
import { loadLabelledCsv } from '../src/datasets/csv.js';
import { Rng } from '../src/numerics/rng.js';

export interface LabelledPoints {
  /** row-major count x d (d = 2 for the study's set) */
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

/**
 * Two-class points from a CSV file `x1,...,xd,label` (header optional) with labels 0/1 or -1/+1;
 * label 1 (or +1) is class +1, label 0 (or -1) class -1. Mixing 0 and -1 in one file is refused.
 */
export function loadTwoClassCsv(file: string): LabelledPoints {
  const d = loadLabelledCsv(file, { signedLabels: true });
  const seen = new Set(d.labels);
  if (seen.has(0) && seen.has(-1)) throw new UserError(`${file}: labels mix 0 and -1; use 0/1 or -1/+1`);
  const y = new Float64Array(d.samples);
  for (let s = 0; s < d.samples; s++) {
    const label = d.labels[s]!;
    if (label !== 0 && label !== 1 && label !== -1) throw new UserError(`${file}:${d.lines[s]}: label ${label} is not 0/1 or -1/+1`);
    y[s] = label === 1 ? 1 : -1;
  }
  return { X: Float64Array.from(d.features), y, count: d.samples };
}

/** The points as CSV text `x1,...,xd,label` with labels 0/1 (the format loadTwoClassCsv reads). */
export function twoClassCsv(points: LabelledPoints): string {
  const d = points.X.length / points.count;
  const header = [...Array.from({ length: d }, (_, j) => `x${j + 1}`), 'label'].join(',');
  const rows: string[] = [header];
  for (let c = 0; c < points.count; c++) rows.push([...points.X.subarray(c * d, (c + 1) * d), points.y[c]! > 0 ? 1 : 0].join(','));
  return rows.join('\n') + '\n';
}
