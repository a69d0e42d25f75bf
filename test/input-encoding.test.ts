/**
 * The input encoding (src/formats/input-encoding.ts) against plain re-computations written here,
 * its place in the model format (v3; v1 and v2 files still read), and its fitting on the
 * training rows only (src/datasets/load.ts).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../src/core/errors.js';
import { encodeBits, encodingFromJson, fitEncoding, fixedEncoding } from '../src/formats/input-encoding.js';
import { createModel, loadModel, modelToJson, parseModel, saveModel } from '../src/formats/model.js';
import { fitInputEncoding, loadRawTrainTest, loadTrainTest } from '../src/datasets/load.js';
import { Rng } from '../src/numerics/rng.js';

const dir = mkdtempSync(join(tmpdir(), 'bnnrelax-enc-'));

/** Type-7 quantile (R's default), written out: h = (n - 1) q between the order statistics. */
function plainQuantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  return lo + 1 < s.length ? s[lo]! + (h - lo) * (s[lo + 1]! - s[lo]!) : s[lo]!;
}

describe('fitting cut points', () => {
  const rng = new Rng(3);
  const count = 37;
  const features = 3;
  const X = Float64Array.from({ length: count * features }, () => 10 * rng.normal());
  const column = (f: number) => Array.from({ length: count }, (_, r) => X[r * features + f]!);

  it('range: L evenly spaced cuts strictly inside [min, max] of each feature', () => {
    const e = fitEncoding(X, count, features, 'range', 4);
    for (let f = 0; f < features; f++) {
      const lo = Math.min(...column(f));
      const hi = Math.max(...column(f));
      for (let k = 1; k <= 4; k++) expect(e.cuts[f * 4 + k - 1]).toBeCloseTo(lo + (k * (hi - lo)) / 5, 12);
    }
  });

  it('shared: the same L evenly spaced cuts for every feature, inside [min, max] of all values; kept through the model JSON', () => {
    const e = fitEncoding(X, count, features, 'shared', 3);
    const all = Array.from(X);
    const lo = Math.min(...all);
    const hi = Math.max(...all);
    for (let f = 0; f < features; f++) for (let k = 1; k <= 3; k++) expect(e.cuts[f * 3 + k - 1]).toBeCloseTo(lo + (k * (hi - lo)) / 4, 12);
    // one feature alone has a narrower range, so its own range cuts differ: shared is not range
    expect(fitEncoding(X, count, features, 'range', 3).cuts[0]).not.toBeCloseTo(e.cuts[0]!, 6);
    const back = encodingFromJson(JSON.parse(JSON.stringify({ features, levels: 3, rule: 'shared', cuts: Array.from({ length: features }, (_, f) => Array.from(e.cuts.subarray(f * 3, f * 3 + 3))) })), features * 3, 'm.json');
    expect(back.rule).toBe('shared');
    expect(Array.from(back.cuts)).toEqual(Array.from(e.cuts));
  });

  it('quantile: L = 1 is the median (odd and even row counts), L = 3 the quartiles', () => {
    for (const n of [count, count - 1]) {
      const e = fitEncoding(X, n, features, 'quantile', 1);
      for (let f = 0; f < features; f++) {
        const s = column(f).slice(0, n).sort((a, b) => a - b);
        const median = n % 2 === 1 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
        expect(e.cuts[f]).toBeCloseTo(median, 12);
      }
    }
    const q = fitEncoding(X, count, features, 'quantile', 3);
    for (let f = 0; f < features; f++) for (let k = 1; k <= 3; k++) expect(q.cuts[f * 3 + k - 1]).toBeCloseTo(plainQuantile(column(f), k / 4), 12);
  });

  it('encodeBits: input f L + k is 1 where feature f >= cut k (plain loops), and refuses another width naming the source', () => {
    const e = fitEncoding(X, count, features, 'quantile', 2);
    const bits = encodeBits(e, X, count, features, 'x.csv');
    for (let r = 0; r < count; r++) {
      for (let f = 0; f < features; f++) {
        for (let k = 0; k < 2; k++) expect(bits[r * 6 + f * 2 + k]).toBe(X[r * 3 + f]! >= e.cuts[f * 2 + k]! ? 1 : 0);
      }
    }
    expect(() => encodeBits(e, new Float64Array(8), 2, 4, 'wide.csv')).toThrow(/^wide\.csv: rows have 4 features, but the input encoding takes 3$/);
  });

  it('train fits the encoding on the training rows only: the test rows do not move a cut', () => {
    const src = { data: 'iris', trainSize: 0, testSize: 0, holdout: 0.3, noise: 0, seed: 5 };
    const raw = loadRawTrainTest(src);
    const tt = loadTrainTest({ ...src, levels: 8, inputThreshold: 0.5 });
    for (let f = 0; f < 4; f++) {
      const train = Array.from({ length: raw.train.count }, (_, r) => raw.train.X[r * 4 + f]!);
      const lo = Math.min(...train);
      const hi = Math.max(...train);
      for (let k = 1; k <= 8; k++) expect(tt.encoding!.cuts[f * 8 + k - 1]).toBeCloseTo(lo + (k * (hi - lo)) / 9, 12);
    }
    // the test part is the encoding applied to the raw test rows
    expect(Array.from(tt.test.X)).toEqual(Array.from(encodeBits(tt.encoding!, raw.test.X, raw.test.count, 4, 'iris')));
    const median = fitInputEncoding(raw.train, { levels: 0, inputThreshold: 'median' }, 'iris');
    for (let f = 0; f < 4; f++) expect(median.cuts[f]).toBeCloseTo(plainQuantile(Array.from({ length: raw.train.count }, (_, r) => raw.train.X[r * 4 + f]!), 0.5), 12);
  });

  it('refuses a threshold that would make the 0/1 thermometer code constant, and cuts without levels', () => {
    const raw = loadRawTrainTest({ data: 'iris', trainSize: 0, testSize: 0, holdout: 0.3, noise: 0, seed: 1 });
    expect(() => fitInputEncoding(raw.train, { levels: 8, inputThreshold: 2 }, 'iris')).toThrow(/with levels 8 the threshold binarises the 0\/1 thermometer code and must be in \(0, 1\], got 2/);
    expect(() => fitInputEncoding(raw.train, { levels: 8, inputThreshold: 'median' }, 'iris')).toThrow(UserError);
    expect(() => fitInputEncoding(raw.train, { levels: 0, inputThreshold: 0.5, cuts: 'quantile' }, 'iris')).toThrow(/give levels > 0/);
  });
});

describe('the encoding in the model file', () => {
  const layers = [{ weights: [[1, -1, 1, 1], [-1, 1, 1, -1]] }, { weights: [[1, 1], [1, -1]], threshold: [0, 0.5] }];

  it('v3: saved and loaded exactly (cut points as JSON numbers round-trip every double)', () => {
    const encoding = fitEncoding(Float64Array.from([0.1, 7, 1 / 3, -2, 5.5, Math.PI]), 3, 2, 'range', 2);
    const model = { ...createModel(layers, 0.5), encoding };
    const path = join(dir, 'v3.json');
    saveModel(path, model);
    const back = loadModel(path);
    expect((modelToJson(back) as { format: string }).format).toBe('bnnrelax.model.v3');
    expect(back.encoding!.levels).toBe(2);
    expect(back.encoding!.rule).toBe('range');
    expect(Array.from(back.encoding!.cuts)).toEqual(Array.from(encoding.cuts));
    // packed form too
    saveModel(path, model, { packed: true });
    expect(Array.from(loadModel(path).encoding!.cuts)).toEqual(Array.from(encoding.cuts));
  });

  it('without an encoding the lowest version is written, and v1 and v2 files written here still load', () => {
    expect((modelToJson(createModel(layers, 0.5)) as { format: string }).format).toBe('bnnrelax.model.v1');
    const v1 = parseModel(JSON.stringify({ format: 'bnnrelax.model.v1', inputThreshold: 0.25, layers }), 'v1.json');
    expect([v1.inputThreshold, v1.encoding, v1.layers.length]).toEqual([0.25, undefined, 2]);
    const v2 = parseModel(JSON.stringify({ format: 'bnnrelax.model.v2', inputThreshold: 0, activation: 'relu', gain: 2, layers }), 'v2.json');
    expect([v2.activation, v2.gain, v2.encoding]).toEqual(['relu', 2, undefined]);
  });

  it('bad encodings: one line naming the file', () => {
    const base = { format: 'bnnrelax.model.v3', inputThreshold: 0.5, layers };
    const cases: [object, RegExp][] = [
      [{ ...base, encoding: { features: 3, levels: 2, cuts: [[0, 1], [0, 1], [0, 1]] } }, /^m\.json: encoding: 3 features x 2 levels = 6 inputs, but the first layer takes 4$/],
      [{ ...base, encoding: { features: 2, levels: 2, cuts: [[0, 1], [1, 0]] } }, /^m\.json: encoding\.cuts\[1\]: cut points must be ascending/],
      [{ ...base, encoding: { features: 2, levels: 2, cuts: [[0, 1]] } }, /^m\.json: encoding\.cuts: expected 2 arrays/],
      [{ ...base, encoding: { features: 2, levels: 2, cuts: [[0, 1], [0, 'x']] } }, /^m\.json: encoding\.cuts\[1\]\[1\]: "x" is not a finite number/],
      [{ ...base, encoding: { features: 2, levels: 2, rule: 'magic', cuts: [[0, 1], [0, 1]] } }, /^m\.json: encoding\.rule/],
      [{ ...base, inputThreshold: 3, encoding: { features: 4, levels: 1, cuts: [[0], [0], [0], [0]] } }, /^m\.json: inputThreshold 3 with an "encoding" must be in \(0, 1\]/],
      [{ ...base, format: 'bnnrelax.model.v2', encoding: { features: 4, levels: 1, cuts: [[0], [0], [0], [0]] } }, /^m\.json: "encoding" needs "format": "bnnrelax\.model\.v3"/],
      [{ ...base, format: 'bnnrelax.model.v4' }, /^m\.json: "format" is "bnnrelax\.model\.v4", expected one of "bnnrelax\.model\.v1", "bnnrelax\.model\.v2", "bnnrelax\.model\.v3"$/],
    ];
    for (const [json, message] of cases) {
      let caught: unknown;
      try {
        parseModel(JSON.stringify(json), 'm.json');
      } catch (e) {
        caught = e;
      }
      expect(caught, String(message)).toBeInstanceOf(UserError);
      expect((caught as Error).message).toMatch(message);
      expect((caught as Error).message).not.toContain('\n');
    }
    expect(encodingFromJson({ features: 2, levels: 1, cuts: [[0], [1]] }, 2, 'e').rule).toBe('fixed');
    expect(Array.from(fixedEncoding(3, 0.5).cuts)).toEqual([0.5, 0.5, 0.5]);
  });

  it('a v3 file on disk with a bad encoding fails through loadModel the same way', () => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, JSON.stringify({ format: 'bnnrelax.model.v3', inputThreshold: 0.5, layers, encoding: { features: 5, levels: 1, cuts: [[0], [0], [0], [0], [0]] } }));
    expect(() => loadModel(path)).toThrow(/bad\.json: encoding: 5 features x 1 levels = 5 inputs, but the first layer takes 4/);
  });
});
