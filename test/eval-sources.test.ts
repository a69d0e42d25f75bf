/**
 * train --save, then eval on the raw data, for every data source train takes (moons, iris, CSV,
 * IDX, MNIST): eval applies the model's saved input encoding and, given train's data flags,
 * rebuilds train's rows, so both accuracies are exactly the ones train printed.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/cli.js';
import { bufferIo } from '../src/core/io.js';
import { Rng } from '../src/numerics/rng.js';
import { referenceAccuracy, type PlainModel } from './model-reference.js';

const dir = mkdtempSync(join(tmpdir(), 'bnnrelax-eval-src-'));

async function cli(...argv: string[]) {
  const io = bufferIo();
  const code = await runCli(argv, io);
  return { code, out: io.stdout, err: io.stderr };
}

/** train ... --save --json, then eval with `evalArgs`: both accuracies must be train's exactly. */
async function roundTrip(name: string, trainArgs: string[], evalArgs: string[]) {
  const model = join(dir, `${name}.json`);
  const t = await cli('train', ...trainArgs, '--save', model, '--json');
  expect(t.err, name).toBe('');
  expect(t.code, name).toBe(0);
  const trained = JSON.parse(t.out);
  const e = await cli('eval', '--model', model, ...evalArgs, '--json');
  expect(e.err, name).toBe('');
  expect(e.code, name).toBe(0);
  const evaluated = JSON.parse(e.out);
  expect(evaluated.trainAccuracy, name).toBe(trained.trainAccuracy);
  expect(evaluated.testAccuracy, name).toBe(trained.testAccuracy);
  expect(evaluated.train.samples + evaluated.test.samples, name).toBeGreaterThan(0);
  return { model, trained, evaluated };
}

/** A CSV of `count` rows of 3 features on a large scale (hundreds), 3 classes. */
function writeCsv(path: string, count: number, seed: number): void {
  const rng = new Rng(seed);
  const lines = ['u,v,w,label'];
  for (let k = 0; k < count; k++) {
    const label = rng.int(3);
    lines.push([...[0, 1, 2].map((i) => (200 + (i === label ? 60 : 0) + 30 * rng.normal()).toFixed(2)), label].join(','));
  }
  writeFileSync(path, lines.join('\n') + '\n');
}

/** IDX images (count x 3 x 3 bytes) and labels: class 1 brighter in the top row. */
function writeIdx(images: string, labels: string, count: number, seed: number): void {
  const rng = new Rng(seed);
  const header = (rank: number, dims: number[]) => {
    const b = Buffer.alloc(4 + 4 * rank);
    b[2] = 0x08;
    b[3] = rank;
    dims.forEach((d, k) => b.writeUInt32BE(d, 4 + 4 * k));
    return b;
  };
  const pixels = Buffer.alloc(count * 9);
  const y = Buffer.alloc(count);
  for (let s = 0; s < count; s++) {
    y[s] = rng.int(2);
    for (let p = 0; p < 9; p++) pixels[s * 9 + p] = Math.max(0, Math.min(255, Math.round(100 + (p < 3 && y[s] === 1 ? 90 : 0) + 50 * rng.normal())));
  }
  writeFileSync(images, Buffer.concat([header(3, [count, 3, 3]), pixels]));
  writeFileSync(labels, Buffer.concat([header(1, [count]), y]));
}

describe('train --save then eval on the raw data gives train\'s accuracies', () => {
  it('moons (the default thermometer code, generated points rebuilt from --seed)', async () => {
    const { evaluated } = await roundTrip('moons', ['--data', 'moons', '--epochs', '5', '--seed', '3'], ['--data', 'moons', '--seed', '3']);
    expect([evaluated.train.samples, evaluated.test.samples]).toEqual([200, 1000]);
    expect(evaluated.testAccuracy).toBeGreaterThan(0.75);
  });

  it('iris (the seeded split rebuilt), and a distribution model sampled on the test rows', async () => {
    await roundTrip('iris', ['--data', 'iris', '--epochs', '10', '--seed', '2'], ['--data', 'iris', '--seed', '2']);
    const { model, trained } = await roundTrip('iris-md', ['--data', 'iris', '--solver', 'md', '--epochs', '10', '--seed', '2'], ['--data', 'iris', '--seed', '2']);
    const s = await cli('eval', '--model', model, '--data', 'iris', '--seed', '2', '--samples', '3', '--json');
    expect(s.code).toBe(0);
    const r = JSON.parse(s.out);
    expect(r.rows).toBe('test');
    expect(r.samplesEvaluated).toBe(45);
    expect(r.single.accuracy).toBe(trained.testAccuracy);
    expect(JSON.parse(readFileSync(model, 'utf8')).format).toBe('bnnrelax.model.v3');
  });

  it('CSV: the seeded split (--split), a separate --test file, and every row against a plain re-encoding', async () => {
    const a = join(dir, 'a.csv');
    const b = join(dir, 'b.csv');
    writeCsv(a, 240, 1);
    writeCsv(b, 90, 2);
    // default for CSV: 8 cut points per feature at the training quantiles (3 x 8 = 24 inputs)
    const split = await roundTrip('csv-split', ['--data', a, '--arch', '24-8-3', '--epochs', '8', '--seed', '4'], ['--data', a, '--split', '--seed', '4']);
    expect(split.trained.problem).toContain('levels=8,threshold=0.5,cuts=quantile');
    expect(split.trained.testAccuracy).toBeGreaterThan(0.6);
    const { model, trained } = await roundTrip('csv-test', ['--data', a, '--test', b, '--arch', '24-8-3', '--epochs', '8'], ['--data', a, '--test', b]);
    // every row of the test file: eval's accuracy equals the plain reference pass on inputs encoded here from the file's cut points
    const all = await cli('eval', '--model', model, '--data', b, '--json');
    expect(all.code).toBe(0);
    expect(JSON.parse(all.out).accuracy).toBe(trained.testAccuracy);
    const json = JSON.parse(readFileSync(model, 'utf8')) as PlainModel & { encoding: { features: number; levels: number; cuts: number[][] } };
    expect([json.encoding.features, json.encoding.levels]).toEqual([3, 8]);
    const rows = readFileSync(b, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
    const bits = rows.flatMap((row) => json.encoding.cuts.flatMap((cuts, f) => cuts.map((c) => (row[f]! >= c ? 1 : 0))));
    expect(referenceAccuracy(json, bits, rows.map((r) => r[3]!), 24)).toBe(trained.testAccuracy);
  });

  it('IDX images with --labels (split and a training subset rebuilt)', async () => {
    const images = join(dir, 'img.idx');
    const labels = join(dir, 'lab.idx');
    writeIdx(images, labels, 150, 5);
    const { evaluated } = await roundTrip(
      'idx',
      ['--data', images, '--labels', labels, '--arch', '9-8-2', '--epochs', '8', '--train-size', '80', '--seed', '6'],
      ['--data', images, '--labels', labels, '--train-size', '80', '--seed', '6'],
    );
    expect([evaluated.train.samples, evaluated.test.samples]).toEqual([80, 45]);
    expect(evaluated.encoding).toBe('x >= 0.5 for every feature');
  });

  it('MNIST (small seeded subsets), and every MNIST test image', async () => {
    const { model } = await roundTrip(
      'mnist',
      ['--data', 'mnist', '--train-size', '200', '--test-size', '100', '--arch', '784-16-10', '--epochs', '2'],
      ['--data', 'mnist', '--train-size', '200', '--test-size', '100'],
    );
    const all = await cli('eval', '--model', model, '--data', 'mnist-test', '--json');
    expect(all.code).toBe(0);
    expect(JSON.parse(all.out).samples).toBe(10000);
  });

  it('--threshold alone thresholds the raw features (levels 0), and eval reproduces it', async () => {
    const { model, trained } = await roundTrip('moons-raw', ['--data', 'moons', '--threshold', '0.3', '--arch', '2-8-2', '--epochs', '5'], ['--data', 'moons']);
    expect(trained.problem).toContain('levels=0,threshold=0.3');
    expect(JSON.parse(readFileSync(model, 'utf8')).encoding).toEqual({ features: 2, levels: 1, rule: 'fixed', cuts: [[0.3], [0.3]] });
    const median = await roundTrip('iris-median', ['--data', 'iris', '--threshold', 'median', '--arch', '4-8-3', '--epochs', '5'], ['--data', 'iris']);
    expect(JSON.parse(readFileSync(median.model, 'utf8')).encoding.rule).toBe('quantile');
  });
});

describe('eval: bad input', () => {
  it('data whose feature count disagrees with the encoding: one line naming the data and the model, exit 2', async () => {
    const model = join(dir, 'enc-moons.json');
    expect((await cli('train', '--data', 'moons', '--epochs', '1', '--save', model)).code).toBe(0);
    const csv = join(dir, 'three.csv');
    writeFileSync(csv, '1,2,3,0\n4,5,6,1\n');
    const cases: [string[], RegExp][] = [
      [['--data', csv], /three\.csv:1: rows have 3 features but the input encoding of the model .*enc-moons\.json takes 2/],
      [['--data', 'iris'], /^bnnrelax: iris: rows have 4 features but the input encoding of the model .*enc-moons\.json takes 2/],
      [['--data', 'mnist-test', '--split'], /mnist-test is the whole MNIST test set/],
    ];
    for (const [args, message] of cases) {
      const r = await cli('eval', '--model', model, ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toMatch(message);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    }
  });

  it('train --help states the encoding defaults', async () => {
    const r = await cli('train', '--help');
    const help = r.out.replace(/\s+/g, ' ');
    expect(help).toContain('default: 8 for moons, iris and CSV files; 0 for MNIST and IDX');
    expect(help).toContain('quantile (training quantiles; default for CSV files)');
  });
});
