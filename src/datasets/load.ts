/**
 * Builds the train/test pair a classifier is trained on from a data source: a built-in set
 * (moons, iris, mnist) or a user file (CSV, or IDX images with an IDX labels file). Where the
 * source has no test part, a seeded split holds out `holdout` of the rows. `loadRawTrainTest`
 * gives the rows as read (`eval` rebuilds train's rows with it; spiking networks code them
 * themselves); `loadTrainTest` then fits the input encoding (src/formats/input-encoding.ts) on the
 * training rows only and encodes both parts into the 0/1 inputs a binary network takes.
 * Defaults (sourceDefaults): moons and iris are thermometer-coded (8 cut points per feature,
 * evenly spaced in the training range); MNIST and IDX pixels (scaled to [0, 1]) are binarised at
 * 0.5; CSV features, whose scale is unknown, are thermometer-coded with 8 cut points at the
 * training quantiles, and thresholded at each feature's training median when asked for one cut
 * per feature (levels 0). Chosen by measurement against the fixed 0.5 of before (docs/formats.md,
 * bench/csv-binarisation.mjs).
 */
import { UserError } from '../core/errors.js';
import { Rng } from '../numerics/rng.js';
import { encodeBits, fitEncoding, fixedEncoding, MAX_LEVELS, type InputEncoding } from '../formats/input-encoding.js';
import { classCount, makeDataset, randomSubset, splitTrainTest, type Dataset, type TrainTest } from './dataset.js';
import { readCsvDataset } from './csv.js';
import { readIdxDataset } from './idx.js';
import { irisDataset } from './iris.js';
import { mnist } from './mnist.js';
import { twoMoons } from './moons.js';

export const BUILTIN_DATA = ['moons', 'iris', 'mnist'] as const;

/** The most two-moons points generated for one problem (10^6: far past any use, and 16 MB before coding). */
export const MAX_GENERATED_POINTS = 1_000_000;

/** The threshold at which the network binarises its encoded 0/1 inputs. */
export const ENCODED_INPUT_THRESHOLD = 0.5;

/** Which rows: the source and how it is subset or split. */
export interface DataSelection {
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
  seed: number;
}

/** How the raw features become binary inputs (fitted on the training rows). */
export interface EncodingChoice {
  /** cut points per feature (0: one cut per feature, given by `inputThreshold`) */
  levels: number;
  /** with levels 0: a fixed cut for every feature, or 'median' (each feature's training median); with levels > 0 it binarises the 0/1 code and must be in (0, 1] */
  inputThreshold: number | 'median';
  /** where a thermometer's cut points go (default 'range') */
  cuts?: 'range' | 'quantile' | 'shared';
}

export type DataSource = DataSelection & EncodingChoice;

/** The rows as read, before any encoding. */
export interface RawTrainTest {
  train: Dataset;
  test: Dataset;
  classes: number;
  description: string;
}

export interface SourceDefaults {
  trainSize: number;
  testSize: number;
  holdout: number;
  noise: number;
  /** thermometer cut points per feature */
  levels: number;
  /** where they go */
  cuts: 'range' | 'quantile';
  /** the cut of each raw feature when levels is 0 */
  rawThreshold: number | 'median';
}

/** What an unset size or encoding option means for this source (train and eval share it). */
export function sourceDefaults(data: string, labels?: string): SourceDefaults {
  const common = { holdout: 0.3, noise: 0.2, cuts: 'range' as const, rawThreshold: 0.5 };
  if (data === 'moons') return { ...common, trainSize: 200, testSize: 1000, levels: 8 };
  if (data === 'iris') return { ...common, trainSize: 0, testSize: 0, levels: 8 };
  if (data === 'mnist') return { ...common, trainSize: 2000, testSize: 1000, levels: 0 };
  // IDX pixels are scaled to [0, 1]
  if (labels !== undefined) return { ...common, trainSize: 0, testSize: 0, levels: 0 };
  // a CSV file's features may be on any scale: cut points from the training rows
  return { ...common, trainSize: 0, testSize: 0, levels: 8, cuts: 'quantile', rawThreshold: 'median' };
}

/** A user file: CSV, or IDX images with their IDX labels file. */
export function readDataFile(path: string, labels: string | undefined): Dataset {
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

/** The train and test rows of a source, as read (seeded: the same selection gives the same rows). */
export function loadRawTrainTest(src: DataSelection): RawTrainTest {
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
    const all = src.data === 'iris' ? irisDataset() : readDataFile(src.data, src.labels);
    if (src.test !== undefined) {
      train = subset(all, src.trainSize, rng.fork('train'));
      test = subset(readDataFile(src.test, src.testLabels), src.testSize, rng.fork('test'));
      if (test.features !== train.features) throw new UserError(`${src.test}: ${test.features} features, but ${src.data} has ${train.features}`);
      description = `${src.data}: ${train.count} train rows, test rows from ${src.test}: ${test.count}`;
    } else {
      const parts = splitTrainTest(all, src.holdout, rng.fork('split'));
      train = subset(parts.train, src.trainSize, rng.fork('train'));
      test = subset(parts.test, src.testSize, rng.fork('test'));
      description = `${src.data}: seeded split (seed ${src.seed}, ${src.holdout} held out): ${train.count} train / ${test.count} test rows`;
    }
  }
  const classes = classCount(train, test);
  if (classes < 2) throw new UserError(`${src.data}: needs at least 2 classes, found ${classes}`);
  return { train, test, classes, description };
}

/** The encoding `choice` asks for, fitted on the training rows; `where` names the source in errors. */
export function fitInputEncoding(train: Dataset, choice: EncodingChoice, where: string): InputEncoding {
  const { levels, inputThreshold: t } = choice;
  if (!Number.isSafeInteger(levels) || levels < 0 || levels > MAX_LEVELS) throw new UserError(`${where}: levels must be an integer 0..${MAX_LEVELS}, got ${levels}`);
  if (levels > 0) {
    // the thermometer's 0/1 code is binarised at the threshold: only (0, 1] keeps the code
    if (t === 'median' || !(t > 0 && t <= 1)) throw new UserError(`${where}: with levels ${levels} the threshold binarises the 0/1 thermometer code and must be in (0, 1], got ${t} (use levels 0 to threshold raw features)`);
    return fitEncoding(train.X, train.count, train.features, choice.cuts ?? 'range', levels);
  }
  if (choice.cuts !== undefined) throw new UserError(`${where}: cuts=${choice.cuts} places thermometer cut points: give levels > 0 with it`);
  if (t === 'median') return fitEncoding(train.X, train.count, train.features, 'quantile', 1);
  if (!Number.isFinite(t)) throw new UserError(`${where}: threshold must be a finite number or 'median', got ${t}`);
  return fixedEncoding(train.features, t);
}

/** The rows of `data` through the encoding, as 0/1 features. */
export function encodeDataset(encoding: InputEncoding, data: Dataset): Dataset {
  const X = encodeBits(encoding, data.X, data.count, data.features, data.source);
  return makeDataset(data.source, encoding.features * encoding.levels, X, data.labels, data.grid);
}

/** The rows of the source encoded for a binary network, with the encoding fitted on the training rows. */
export function loadTrainTest(src: DataSource): TrainTest {
  const raw = loadRawTrainTest(src);
  const encoding = fitInputEncoding(raw.train, src, src.data);
  const t = src.inputThreshold;
  let coded: string;
  if (src.levels > 0) {
    const rule = src.cuts ?? 'range';
    const where = rule === 'range' ? 'cut points from the training range' : rule === 'shared' ? 'cut points from the training range of all pixels, shared by every pixel' : 'cut points at the training quantiles';
    coded = `; each feature thermometer-coded into ${src.levels} 0/1 inputs (${where}); inputs binarised at >= ${t}`;
  } else coded = t === 'median' ? '; each feature binarised at its training median' : `; inputs binarised at >= ${t}`;
  return {
    train: encodeDataset(encoding, raw.train),
    test: encodeDataset(encoding, raw.test),
    classes: raw.classes,
    inputThreshold: ENCODED_INPUT_THRESHOLD,
    encoding,
    description: raw.description + coded,
  };
}
