/**
 * Builds the train/test pair a classifier is trained on from a data source: a built-in set
 * (moons, iris, mnist) or a user file (CSV, or IDX images with an IDX labels file). Where the
 * source has no test part, a seeded split holds out `holdout` of the rows. Real-valued low-
 * dimensional sets (moons, iris) are thermometer-encoded (`levels` 0/1 features per input) so
 * that a network with binarised inputs can use them; MNIST pixels are scaled to [0, 1].
 * Every input is then binarised at `inputThreshold` (0.5 by default).
 */
import { UserError } from '../core/errors.js';
import { Rng } from '../numerics/rng.js';
import { classCount, randomSubset, splitTrainTest, thermometerEncoder, type Dataset, type TrainTest } from './dataset.js';
import { readCsvDataset } from './csv.js';
import { readIdxDataset } from './idx.js';
import { irisDataset } from './iris.js';
import { mnist } from './mnist.js';
import { twoMoons } from './moons.js';

export const BUILTIN_DATA = ['moons', 'iris', 'mnist'] as const;

/** The most two-moons points generated for one problem (10^6: far past any use, and 16 MB before coding). */
export const MAX_GENERATED_POINTS = 1_000_000;

export interface DataSource {
  /** 'moons' | 'iris' | 'mnist' | a CSV path | an IDX images path */
  data: string;
  /** IDX labels file for `data` */
  labels?: string;
  /** CSV or IDX images file of a separate test set */
  test?: string;
  testLabels?: string;
  /** training rows (a seeded subset; 0 = all) */
  trainSize: number;
  /** test rows (generated or a seeded subset; 0 = all) */
  testSize: number;
  /** fraction held out for testing when the source has no test part */
  holdout: number;
  /** moons noise */
  noise: number;
  /** thermometer levels per feature (0 = raw features) */
  levels: number;
  inputThreshold: number;
  seed: number;
}

function readUserFile(path: string, labels: string | undefined): Dataset {
  if (/\.csv$/i.test(path) && labels === undefined) return readCsvDataset(path);
  if (labels === undefined) {
    if (/idx/i.test(path)) throw new UserError(`${path}: an IDX images file needs its IDX labels file (labels=FILE / --labels FILE)`);
    return readCsvDataset(path);
  }
  return readIdxDataset(path, labels);
}

function subset(data: Dataset, size: number, rng: Rng): Dataset {
  return size > 0 && size < data.count ? randomSubset(data, size, rng) : data;
}

export function loadTrainTest(src: DataSource): TrainTest {
  const rng = new Rng(src.seed, 'data');
  let train: Dataset;
  let test: Dataset;
  let description: string;
  if (src.data === 'moons') {
    const trainCount = src.trainSize || 200;
    const testCount = src.testSize || 1000;
    // generated points (2 features each, then thermometer-coded): sized before they are made
    if (trainCount + testCount > MAX_GENERATED_POINTS) throw new UserError(`two moons: ${trainCount} train + ${testCount} test points is more than the ${MAX_GENERATED_POINTS} generated at most (lower the train or test size)`);
    train = twoMoons(trainCount, src.noise, rng.fork('train'));
    test = twoMoons(testCount, src.noise, rng.fork('test'));
    description = `two moons, noise ${src.noise}: ${trainCount} train / ${testCount} test points generated with seed ${src.seed}`;
  } else if (src.data === 'mnist') {
    train = mnist('train', src.trainSize, rng.fork('train'));
    test = mnist('t10k', src.testSize, rng.fork('test'));
    description = `MNIST: seeded subsets of ${train.count} of the 60000 training and ${test.count} of the 10000 test images (seed ${src.seed}), pixels / 255`;
  } else {
    const all = src.data === 'iris' ? irisDataset() : readUserFile(src.data, src.labels);
    if (src.test !== undefined) {
      train = subset(all, src.trainSize, rng.fork('train'));
      test = subset(readUserFile(src.test, src.testLabels), src.testSize, rng.fork('test'));
      if (test.features !== train.features) throw new UserError(`${src.test}: ${test.features} features, but ${src.data} has ${train.features}`);
      description = `${src.data}: ${train.count} train rows, test rows from ${src.test}: ${test.count}`;
    } else {
      const parts = splitTrainTest(all, src.holdout, rng.fork('split'));
      train = subset(parts.train, src.trainSize, rng.fork('train'));
      test = subset(parts.test, src.testSize, rng.fork('test'));
      description = `${src.data}: seeded split (seed ${src.seed}, ${src.holdout} held out): ${train.count} train / ${test.count} test rows`;
    }
  }
  if (src.levels > 0) {
    const encode = thermometerEncoder(train, src.levels);
    train = encode(train);
    test = encode(test);
    description += `; each feature thermometer-coded into ${src.levels} 0/1 inputs (cut points from the training range)`;
  }
  const classes = classCount(train, test);
  if (classes < 2) throw new UserError(`${src.data}: needs at least 2 classes, found ${classes}`);
  return { train, test, classes, inputThreshold: src.inputThreshold, description: `${description}; inputs binarised at >= ${src.inputThreshold}` };
}
