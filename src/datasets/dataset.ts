/**
 * A labelled data set as the classifiers see it: `count` rows of `features` real values
 * (row-major) and integer class labels 0..classes-1. A classifier binarises each feature at
 * `inputThreshold` (x_i = +1 where feature_i >= threshold, else -1), the same rule the saved
 * model format uses, so a model and the features it was trained on always agree. The features of
 * a TrainTest are usually the 0/1 code of an input encoding (src/formats/input-encoding.ts).
 */
import type { Rng } from '../numerics/rng.js';
import type { InputEncoding } from '../formats/input-encoding.js';

export interface Dataset {
  /** Where it came from, for messages: a file path or a generator name. */
  readonly source: string;
  readonly count: number;
  readonly features: number;
  /** row-major count x features */
  readonly X: Float64Array;
  readonly labels: Int32Array;
  /**
   * Where the rows are images: the raw features are the pixels of a rows x cols image, row-major
   * (IDX files of N x rows x cols, MNIST). In an encoded dataset each pixel gives
   * features / (rows cols) consecutive inputs (src/formats/input-encoding.ts is feature-major).
   * Translating the images (the mlp problem's `shift`) needs it.
   */
  readonly grid?: ImageGrid;
}

export interface ImageGrid {
  readonly rows: number;
  readonly cols: number;
}

export interface TrainTest {
  train: Dataset;
  test: Dataset;
  classes: number;
  /** The threshold at which features are binarised. */
  inputThreshold: number;
  /** How the source's raw features became these features (absent: they are the raw features). */
  encoding?: InputEncoding;
  /** What was done to produce these features (subset, encoding, split), for the record. */
  description: string;
}

export function makeDataset(source: string, features: number, X: Float64Array, labels: Int32Array, grid?: ImageGrid): Dataset {
  if (X.length !== labels.length * features) throw new RangeError(`${source}: ${X.length} values for ${labels.length} x ${features}`);
  if (grid && features % (grid.rows * grid.cols) !== 0) throw new RangeError(`${source}: ${features} features are not a whole number per pixel of a ${grid.rows} x ${grid.cols} image`);
  return { source, count: labels.length, features, X, labels, ...(grid ? { grid } : {}) };
}

/** The rows at `indices`, in that order. */
export function selectRows(data: Dataset, indices: ArrayLike<number>, source = data.source): Dataset {
  const { features } = data;
  const X = new Float64Array(indices.length * features);
  const labels = new Int32Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const r = indices[k]!;
    X.set(data.X.subarray(r * features, (r + 1) * features), k * features);
    labels[k] = data.labels[r]!;
  }
  return makeDataset(source, features, X, labels, data.grid);
}

/** A seeded random subset of `size` rows (all rows, shuffled, when size >= count). */
export function randomSubset(data: Dataset, size: number, rng: Rng): Dataset {
  const order = Int32Array.from({ length: data.count }, (_, i) => i);
  rng.shuffle(order);
  return selectRows(data, order.subarray(0, Math.min(size, data.count)));
}

/** A seeded split into train and test parts, the test part holding `testFraction` of the rows. */
export function splitTrainTest(data: Dataset, testFraction: number, rng: Rng): { train: Dataset; test: Dataset } {
  const order = Int32Array.from({ length: data.count }, (_, i) => i);
  rng.shuffle(order);
  const testCount = Math.round(data.count * testFraction);
  return { test: selectRows(data, order.subarray(0, testCount)), train: selectRows(data, order.subarray(testCount)) };
}

/** Number of classes (largest label + 1) over the given sets. */
export function classCount(...sets: Dataset[]): number {
  let max = -1;
  for (const s of sets) for (let i = 0; i < s.count; i++) max = Math.max(max, s.labels[i]!);
  return max + 1;
}
