import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateModel, predict } from '../src/xnor/bnn-forward.js';
import { runCli } from '../src/cli/cli.js';
import { bufferIo } from '../src/core/io.js';
import { createModel, modelToJson, parseModel, type LayerSpec } from '../src/formats/model.js';
import { createXnorBackend } from '../src/xnor/index.js';
import { referencePredict, type PlainModel } from './model-reference.js';

/** The reference float forward pass, sample by sample. */
function floatPredict(model: PlainModel, features: number[][]): number[] {
  return features.map((f) => referencePredict(model, f));
}

const pm1 = fc.constantFrom(1, -1);
// small integers and halves, so that ties (dot == threshold, equal scores) really happen
const threshold = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.integer({ min: -6, max: 6 }).map((v) => v / 2));
const scale = fc.constantFrom(1, 2, 0.5, -1, 0, 3);

const plainModel = fc
  .record({
    widths: fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 2, maxLength: 4 }),
    inputThreshold: fc.constantFrom(0, 0.5, -1, 1),
  })
  .chain(({ widths, inputThreshold }) =>
    fc.record({
      inputThreshold: fc.constant(inputThreshold),
      layers: fc.tuple(
        ...widths.slice(1).map((out, l) =>
          fc.record({
            weights: fc.array(fc.array(pm1, { minLength: widths[l]!, maxLength: widths[l]! }), { minLength: out, maxLength: out }),
            threshold: fc.array(threshold, { minLength: out, maxLength: out }),
            scale: fc.array(scale, { minLength: out, maxLength: out }),
          }),
        ),
      ),
    }),
  );

const modelAndData = plainModel.chain((model) => {
  const width = model.layers[0]!.weights[0]!.length;
  return fc.record({
    model: fc.constant(model as PlainModel),
    features: fc.array(fc.array(fc.integer({ min: -2, max: 2 }).map((v) => v / 2), { minLength: width, maxLength: width }), { minLength: 1, maxLength: 30 }),
  });
});

describe('eval accuracy equals an independent float forward pass', () => {
  for (const name of ['js', 'wasm', 'gpujs-cpu', 'gpujs-webasm']) {
    it(name, () => {
      const backend = createXnorBackend(name);
      fc.assert(
        fc.property(modelAndData, fc.integer({ min: 0, max: 1000 }), ({ model, features }, labelSeed) => {
          const want = floatPredict(model, features);
          const classes = Math.max(2, model.layers[model.layers.length - 1]!.weights.length);
          const labels = features.map((_, s) => (labelSeed + s * 7) % classes);
          const bm = createModel(model.layers, model.inputThreshold);
          const flat = features.flat();
          expect(Array.from(predict(bm, flat, features.length, backend))).toEqual(want);
          const correct = want.filter((c, s) => c === labels[s]).length;
          const r = evaluateModel(bm, { features: flat, labels, samples: features.length }, backend);
          expect(r).toEqual({ accuracy: correct / features.length, samples: features.length, correct });
          // the packed form loads to the same model
          const packed = parseModel(JSON.stringify(modelToJson(bm, { packed: true })), 'packed.json');
          expect(Array.from(predict(packed, flat, features.length, backend))).toEqual(want);
        }),
        { numRuns: name.startsWith('gpujs') ? 15 : 80 },
      );
    });
  }
});

describe('model format', () => {
  const model = { format: 'bnnrelax.model.v1', inputThreshold: 0.5, layers: [{ weights: [[1, -1, 1], [-1, -1, 1]] }, { weights: [[1, 1]], threshold: [0.5] }] };

  it('round-trips plain and packed forms, with default threshold and scale', () => {
    const m = parseModel(JSON.stringify(model), 'm.json');
    expect(Array.from(m.layers[0]!.threshold)).toEqual([0, 0]);
    expect(Array.from(m.layers[1]!.scale)).toEqual([1]);
    for (const packed of [false, true]) {
      const again = parseModel(JSON.stringify(modelToJson(m, { packed })), 'again.json');
      expect(modelToJson(again)).toEqual(modelToJson(m));
    }
    expect((modelToJson(m) as PlainModel).layers[0]!.weights).toEqual(model.layers[0]!.weights);
  });

  it('rejects bad models with the file and what is wrong', () => {
    const bad = (patch: (m: any) => void) => {
      const m = structuredClone(model);
      patch(m);
      return () => parseModel(JSON.stringify(m), 'm.json');
    };
    expect(bad((m) => (m.layers[0].weights[1][2] = 0))).toThrow(/^m\.json: layers\[0\]\.weights\[1\]\[2\]: 0 is not a binary weight/);
    expect(bad((m) => (m.layers[0].weights[1] = [1, 1]))).toThrow(/has 2 weights, row 0 has 3/);
    expect(bad((m) => (m.layers[1].weights = [[1, 1, 1]]))).toThrow(/layers\[1\]: takes 3 inputs but layers\[0\] has 2 outputs/);
    expect(bad((m) => (m.layers[1].threshold = [1, 2]))).toThrow(/threshold: has 2 entries, expected 1/);
    expect(bad((m) => (m.format = 'other'))).toThrow(/"format" is "other"/);
    expect(bad((m) => (m.layers = []))).toThrow(/non-empty/);
    expect(() => parseModel('{\n  "format": "bnnrelax.model.v1",\n  "layers": [\n    {"weights": [[1, -1]],}\n  ]\n}', 'm.json')).toThrow(/^m\.json:4: malformed JSON/);
    const packed = { format: 'bnnrelax.model.v1', layers: [{ inputs: 3, outputs: 1, packedWeights: Buffer.from([0xff, 0, 0, 0]).toString('base64') }] };
    expect(() => parseModel(JSON.stringify(packed), 'p.json')).toThrow(/row 0 has bits set past input 3/);
    packed.layers[0]!.packedWeights = Buffer.from([5, 0, 0]).toString('base64');
    expect(() => parseModel(JSON.stringify(packed), 'p.json')).toThrow(/3 bytes, expected 4/);
  });

  it('createModel takes in-memory arrays', () => {
    const layers: LayerSpec[] = [{ weights: [Int8Array.from([1, -1])] }];
    const m = createModel(layers, 0);
    expect(Array.from(predict(m, [1, -1, -1, 1], 2))).toEqual([1, 0]);
  });
});

describe('bnnrelax eval', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bnnrelax-eval-'));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const plain: PlainModel = {
    inputThreshold: 0,
    layers: [
      { weights: [[1, -1, 1], [1, 1, -1], [-1, 1, 1], [1, 1, 1]], threshold: [0, 1, -1, 0], scale: [1, 1, 1, 1] },
      { weights: [[1, -1, 1, 1], [-1, 1, -1, 1], [1, 1, 1, -1]], threshold: [0, 0.5, 0], scale: [1, 2, 1] },
    ],
  };
  const features = [
    [0.3, -1, 2],
    [-0.5, -0.2, 0.1],
    [1, 1, 1],
    [0, 0, -3],
    [-1, 2, 0.5],
    [2, -2, -2],
  ];
  const labels = [0, 1, 2, 0, 2, 1];
  const modelPath = file('m.json', JSON.stringify({ format: 'bnnrelax.model.v1', ...plain }, null, 2));
  const dataPath = file('d.csv', 'a,b,c,label\n' + features.map((f, s) => [...f, labels[s]].join(',')).join('\n') + '\n');
  const want = floatPredict(plain, features);
  const correct = want.filter((c, s) => c === labels[s]).length;

  it('prints accuracy, and with --json the documented object, for every backend', async () => {
    for (const backend of ['auto', 'wasm', 'js', 'gpujs-cpu', 'gpujs-webasm-16']) {
      const io = bufferIo();
      expect(await runCli(['eval', '--model', modelPath, '--data', dataPath, '--backend', backend, '--json'], io)).toBe(0);
      const r = JSON.parse(io.stdout);
      expect(Object.keys(r).sort()).toEqual(['accuracy', 'backend', 'correct', 'samples', 'timeMs']);
      expect([r.accuracy, r.samples, r.correct, r.backend]).toEqual([correct / 6, 6, correct, backend === 'auto' ? 'wasm+js' : backend]);
    }
    const io = bufferIo();
    expect(await runCli(['eval', '--model', modelPath, '--data', dataPath], io)).toBe(0);
    expect(io.stdout).toMatch(new RegExp(`^accuracy ${(correct / 6).toFixed(4)}  \\(${correct} of 6 correct; backend wasm\\+js`));
  });

  it('a backend that cannot start here says why and suggests another (gpujs-headlessgl without gl)', async () => {
    const io = bufferIo();
    const code = await runCli(['eval', '--model', modelPath, '--data', dataPath, '--backend', 'gpujs-headlessgl', '--json'], io);
    let glBuilt = true;
    try {
      createXnorBackend('gpujs-headlessgl');
    } catch {
      glBuilt = false;
    }
    if (glBuilt) {
      // where gl is built and a display exists, it must run and agree
      expect(code).toBe(0);
      expect(JSON.parse(io.stdout).correct).toBe(correct);
      return;
    }
    expect(code).toBe(2);
    expect(io.stderr).toMatch(/^bnnrelax: backend 'gpujs-headlessgl' cannot start here: .*'gl' package.*; try --backend auto\n$/);
  });

  it('bad input: one line, exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['--model', modelPath, '--data', file('w.csv', '1,2,0\n3,4,1\n')], /w\.csv:1: rows have 2 features but the model .*m\.json takes 3 inputs/],
      [['--model', file('b.json', JSON.stringify({ format: 'bnnrelax.model.v1', layers: [{ weights: [[1, 0.5, 1]] }] })), '--data', dataPath], /b\.json: layers\[0\]\.weights\[0\]\[1\]: 0\.5 is not a binary weight/],
      [['--model', file('s.json', '{\n"format": "bnnrelax.model.v1",\n"layers": [\n}'), '--data', dataPath], /s\.json:4: malformed JSON/],
      [['--model', modelPath, '--data', file('c.csv', '1,2,3,0\n1,2,x,1\n')], /c\.csv:2: field 3 'x' is not a number/],
      [['--model', modelPath, '--data', file('l.csv', '1,2,3,0\n1,2,3,7\n')], /l\.csv:2: label 7 is not a class of the model \(0\.\.2\)/],
      [['--model', modelPath, '--data', dataPath, '--backend', 'cuda'], /unknown backend 'cuda' \(known: auto, wasm/],
      [['--model', join(dir, 'missing.json'), '--data', dataPath], /missing\.json: cannot read model \(ENOENT\)/],
    ];
    for (const [args, message] of cases) {
      const io = bufferIo();
      expect(await runCli(['eval', ...args], io)).toBe(2);
      expect(io.stdout).toBe('');
      expect(io.stderr).toMatch(message);
      expect(io.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
  });
});
