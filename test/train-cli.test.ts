import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/cli.js';
import { bufferIo } from '../src/core/io.js';
import { loadTrainTest } from '../src/datasets/load.js';
import { Rng } from '../src/numerics/rng.js';
import { referenceAccuracy, type PlainModel } from './model-reference.js';

const dir = mkdtempSync(join(tmpdir(), 'bnnrelax-train-'));

type Model = PlainModel & { format: string };
const accuracy = referenceAccuracy;

async function cli(...argv: string[]) {
  const io = bufferIo();
  const code = await runCli(argv, io);
  return { code, out: io.stdout, err: io.stderr };
}

describe('bnnrelax train', () => {
  it('saves a model whose independently recomputed accuracy is what train reports (moons, vispa)', async () => {
    const path = join(dir, 'moons.json');
    const r = await cli('train', '--data', 'moons', '--arch', '16-16-2', '--solver', 'vispa', '--epochs', '8', '--seed', '3', '--save', path, '--json');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.out);
    const model = JSON.parse(readFileSync(path, 'utf8')) as Model;
    // vispa learns a distribution, saved beside the single network and its input encoding (v3)
    expect(model.format).toBe('bnnrelax.model.v3');
    expect((model as unknown as { distribution: { kind: string; rank: number } }).distribution).toMatchObject({ kind: 'gaussian-rows', rank: 4 });
    expect(model.layers.map((l) => [l.weights.length, l.weights[0]!.length])).toEqual([[16, 16], [2, 16]]);
    const data = loadTrainTest({ data: 'moons', trainSize: 0, testSize: 0, holdout: 0.3, noise: 0.2, levels: 8, inputThreshold: 0.5, seed: 3 });
    expect(accuracy(model, data.test.X, data.test.labels, 16)).toBe(result.testAccuracy);
    expect(accuracy(model, data.train.X, data.train.labels, 16)).toBe(result.trainAccuracy);
    expect(result.testAccuracy).toBeGreaterThan(0.75);
  });

  it('md and bayesbinn train in epochs on two moons: well above chance, reproducible, and the saved model agrees', async () => {
    const data = loadTrainTest({ data: 'moons', trainSize: 0, testSize: 0, holdout: 0.3, noise: 0.2, levels: 8, inputThreshold: 0.5, seed: 2 });
    for (const solver of ['md', 'bayesbinn']) {
      const path = join(dir, `moons-${solver}.json`);
      const argv = ['train', '--data', 'moons', '--arch', '16-32-2', '--solver', solver, '--epochs', '20', '--batch', '50', '--seed', '2', '--json'];
      const r = await cli(...argv, '--save', path);
      expect(r.err, solver).toBe('');
      expect(r.code, solver).toBe(0);
      const result = JSON.parse(r.out);
      expect(result.solver).toBe(solver);
      // 200 rows in batches of 50: 4 steps per epoch, one epoch-end record per epoch
      expect(result.iterations, solver).toBe(80);
      expect(result.info.epochs, solver).toBe(20);
      expect(result.info.epochLog, solver).toHaveLength(20);
      expect(result.testAccuracy, solver).toBeGreaterThan(0.8);
      const model = JSON.parse(readFileSync(path, 'utf8')) as Model;
      expect(accuracy(model, data.test.X, data.test.labels, 16), solver).toBe(result.testAccuracy);
      expect(accuracy(model, data.train.X, data.train.labels, 16), solver).toBe(result.trainAccuracy);
      const again = JSON.parse((await cli(...argv)).out);
      expect(again.weights, solver).toBe(result.weights);
      expect(again.info.epochLog, solver).toEqual(result.info.epochLog);
    }
  });

  it('trains on user CSV files with a separate test file (ste), and the saved model agrees', async () => {
    const rng = new Rng(7);
    const rows = (count: number) => {
      const lines = ['a,b,c,d,label'];
      for (let k = 0; k < count; k++) {
        const label = rng.int(3);
        const f = [0, 1, 2, 3].map((i) => (i === label ? 0.8 : 0.2) + 0.3 * rng.normal());
        lines.push([...f.map((v) => v.toFixed(3)), label].join(','));
      }
      return lines.join('\n') + '\n';
    };
    writeFileSync(join(dir, 'train.csv'), rows(300));
    writeFileSync(join(dir, 'test.csv'), rows(200));
    const path = join(dir, 'csv.json');
    // --threshold: the raw features binarised at 0.5 (the override of the CSV default, a thermometer code)
    const r = await cli('train', '--data', join(dir, 'train.csv'), '--test', join(dir, 'test.csv'), '--threshold', '0.5', '--arch', '4-3', '--epochs', '10', '--batch', '50', '--save', path, '--json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.out);
    const model = JSON.parse(readFileSync(path, 'utf8')) as Model & { encoding: unknown };
    expect(model.encoding).toEqual({ features: 4, levels: 1, rule: 'fixed', cuts: [[0.5], [0.5], [0.5], [0.5]] });
    const test = readFileSync(join(dir, 'test.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
    expect(accuracy(model, test.flatMap((t) => t.slice(0, 4)), test.map((t) => t[4]!), 4)).toBe(result.testAccuracy);
    expect(result.testAccuracy).toBeGreaterThan(0.6);
  });

  it('bnnrelax eval on the saved model and the same CSV data reports exactly the accuracy train reported', async () => {
    const rng = new Rng(11);
    const rows = (count: number) => {
      const lines = ['a,b,c,d,e,label'];
      for (let k = 0; k < count; k++) {
        const label = rng.int(3);
        const f = [0, 1, 2, 3, 4].map((i) => (i % 3 === label ? 0.7 : 0.3) + 0.3 * rng.normal());
        lines.push([...f.map((v) => v.toFixed(3)), label].join(','));
      }
      return lines.join('\n') + '\n';
    };
    const trainCsv = join(dir, 'eval-train.csv');
    const testCsv = join(dir, 'eval-test.csv');
    writeFileSync(trainCsv, rows(240));
    writeFileSync(testCsv, rows(160));
    const path = join(dir, 'eval.json');
    // the CSV default: 8 cut points per feature at the training quantiles, 40 inputs
    const r = await cli('train', '--data', trainCsv, '--test', testCsv, '--arch', '40-6-3', '--epochs', '6', '--batch', '40', '--save', path, '--json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.out);
    for (const [csv, reported] of [[testCsv, result.testAccuracy], [trainCsv, result.trainAccuracy]] as const) {
      const e = await cli('eval', '--model', path, '--data', csv, '--json');
      expect(e.err).toBe('');
      expect(e.code).toBe(0);
      expect(JSON.parse(e.out).accuracy).toBe(reported);
    }
    expect(result.testAccuracy).toBeGreaterThan(0.5);
  });

  it('bad input: one line on stderr, exit code 2', async () => {
    writeFileSync(join(dir, 'ragged.csv'), '1,2,0\n3,4,1\n5,1\n');
    writeFileSync(join(dir, 'text.csv'), '1,2,0\n3,x,1\n');
    const cases: [string[], RegExp][] = [
      [['train', '--data', join(dir, 'ragged.csv'), '--arch', '2-2'], /ragged\.csv:3: 2 fields, expected 3/],
      [['train', '--data', join(dir, 'text.csv'), '--arch', '2-2'], /text\.csv:2: field 2 'x' is not a number/],
      [['train', '--data', 'iris', '--arch', '4-8-3'], /architecture 4-8-3 takes 4 inputs, but iris gives 32 features/],
      [['train', '--data', 'moons', '--solver', 'exact'], /does not train in epochs/],
      [['train', '--data', join(dir, 'nope.csv'), '--arch', '2-2'], /nope\.csv: cannot read/],
    ];
    for (const [argv, message] of cases) {
      const r = await cli(...argv);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(message);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    }
  });
});
