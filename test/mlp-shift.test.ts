import { describe, expect, it } from 'vitest';
import { loadProblem } from '../problems/index.js';
import { MlpProblem } from '../problems/mlp.js';
import { makeDataset, type TrainTest } from '../src/datasets/dataset.js';
import { encodeDataset } from '../src/datasets/load.js';
import { encodeBits, fitEncoding } from '../src/formats/input-encoding.js';
import { UserError } from '../src/core/errors.js';
import { Rng } from '../src/numerics/rng.js';
import { reference, type Act } from './mlp-reference.js';

// a 5 x 6 image per row, each pixel thermometer-coded with two cut points (60 inputs)
const H = 5;
const W = 6;
const L = 2;

function images(count: number, rng: Rng): TrainTest {
  const raw = (n: number, name: string) => {
    // about half the pixels 0 (background), the rest in [-1, 1]: with the shared cut points at
    // -1/3 and 1/3, a 0 pixel codes as (+1, -1), so the background is not all -1
    const X = Float64Array.from({ length: n * H * W }, (_, k) => (k % W === W - 1 || rng.float() < 0.5 ? 0 : rng.uniform(-1, 1)));
    const labels = Int32Array.from({ length: n }, () => rng.int(3));
    return makeDataset(name, H * W, X, labels, { rows: H, cols: W });
  };
  const train = raw(count, 'train');
  const test = raw(20, 'test');
  const encoding = fitEncoding(train.X, train.count, H * W, 'shared', L);
  return { train: encodeDataset(encoding, train), test: encodeDataset(encoding, test), classes: 3, inputThreshold: 0.5, encoding, description: 'synthetic images' };
}

/** Row r's ±1 inputs translated by (dx, dy), from the definition: destination (y, x) takes source (y - dy, x - dx), or the code of a 0 pixel there. */
function translated(data: TrainTest, r: number, dx: number, dy: number): number[] {
  const d = H * W * L;
  const row = data.train.X.subarray(r * d, (r + 1) * d);
  const background = encodeBits(data.encoding!, new Float64Array(H * W), 1, H * W, 'zeros');
  const out: number[] = [];
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      for (let p = 0; p < L; p++) {
        const sy = y - dy;
        const sx = x - dx;
        const bit = sy >= 0 && sy < H && sx >= 0 && sx < W ? row[(sy * W + sx) * L + p]! : background[(y * W + x) * L + p]!;
        out.push(bit >= 0.5 ? 1 : -1);
      }
    }
  }
  return out;
}

describe('mlp shift=S (random translations of the training images)', () => {
  const rng = new Rng(11, 'mlp-shift-test');
  const data = images(60, rng);
  const arch = [H * W * L, 12, 3];
  const batch = Int32Array.from([4, 9, 0, 33, 21, 58, 7, 40, 12, 3]);

  it('the background code is not all -1 here (the test would not see a fill of -1 otherwise)', () => {
    const background = encodeBits(data.encoding!, new Float64Array(H * W), 1, H * W, 'zeros');
    expect(Array.from(background).some((v) => v === 1)).toBe(true);
  });

  for (const act of ['relu', 'sign'] as Act[]) {
    for (const weights of ['real', '±1'] as const) {
      it(`${act}, ${weights} weights: each pass's gradient is the plain pass on the rows translated as the stream (seed, 'shift') draws them`, () => {
        const shifted = new MlpProblem('mlp:test', arch, data, 1, 'full', act, { p: 0, seed: 1 }, { pixels: 2, seed: 7 });
        const stream = new Rng(7, 'shift');
        const x = Float64Array.from({ length: shifted.n }, () => (weights === 'real' ? rng.uniform(-1, 1) : rng.sign()));
        const labels = Array.from(batch, (r) => data.train.labels[r]!);
        const grads: Float64Array[] = [];
        let moved = 0;
        for (let call = 0; call < 3; call++) {
          const inputs = Array.from(batch, (r) => {
            const dx = stream.int(5) - 2;
            const dy = stream.int(5) - 2;
            if (dx !== 0 || dy !== 0) moved++;
            return translated(data, r, dx, dy);
          });
          const grad = new Float64Array(shifted.n);
          const loss = shifted.minibatchLossAndGradient(x, grad, batch);
          const ref = reference(arch, x, inputs, labels, true, 'full', act);
          expect(loss).toBeCloseTo(ref.loss, 10);
          let maxDiff = 0;
          for (let i = 0; i < shifted.n; i++) maxDiff = Math.max(maxDiff, Math.abs(grad[i]! - ref.grad[i]!));
          expect(maxDiff).toBeLessThan(1e-10);
          grads.push(grad);
        }
        expect(moved).toBeGreaterThan(10);
        expect(Array.from(grads[0]!)).not.toEqual(Array.from(grads[1]!));
        // same seed, same passes
        const again = new Float64Array(shifted.n);
        new MlpProblem('mlp:test', arch, data, 1, 'full', act, { p: 0, seed: 1 }, { pixels: 2, seed: 7 }).minibatchLossAndGradient(x, again, batch);
        expect(Array.from(again)).toEqual(Array.from(grads[0]!));
      });
    }
  }

  it('the binary network (loss, score, model) sees the untranslated rows', () => {
    const shifted = new MlpProblem('mlp:test', arch, data, 1, 'full', 'relu', { p: 0, seed: 1 }, { pixels: 3, seed: 7 });
    const plain = new MlpProblem('mlp:test', arch, data, 1, 'full', 'relu');
    const w = Int8Array.from({ length: plain.n }, () => rng.sign());
    expect(shifted.loss(w)).toBe(plain.loss(w));
    expect(shifted.score(w)).toEqual(plain.score(w));
  });

  it('is refused where pixels have different cut points (the range rule), with the way out', () => {
    const X = Float64Array.from({ length: 60 * H * W }, (_, k) => (k % W === W - 1 ? 0 : rng.float()));
    const rawTrain = makeDataset('train', H * W, X, Int32Array.from({ length: 60 }, () => rng.int(3)), { rows: H, cols: W });
    const encoding = fitEncoding(rawTrain.X, 60, H * W, 'range', L);
    const ranged: TrainTest = { ...data, train: encodeDataset(encoding, rawTrain), test: encodeDataset(encoding, rawTrain), encoding };
    expect(() => new MlpProblem('mlp:test', arch, ranged, 1, 'full', 'relu', { p: 0, seed: 1 }, { pixels: 1, seed: 7 })).toThrow(/shift=1 moves each pixel's code to another pixel.*give cuts=shared/);
    expect(() => loadProblem('mlp:data=mnist,train=100,test=10,arch=1568-16-10,act=relu,levels=2,shift=1')).toThrow(UserError);
    expect(loadProblem('mlp:data=mnist,train=100,test=10,arch=1568-16-10,act=relu,levels=2,cuts=shared,shift=1').spec).toMatch(/cuts=shared.*shift=1/);
  });

  it('is refused on data without an image shape and outside 0..8, and kept in the spec', () => {
    expect(() => loadProblem('mlp:data=moons,act=relu,shift=1')).toThrow(UserError);
    expect(() => loadProblem('mlp:data=moons,act=relu,shift=1')).toThrow(/shift=1 translates images, but moons has no image shape/);
    expect(() => loadProblem('mlp:data=mnist,train=100,test=10,shift=9')).toThrow(UserError);
    const p = loadProblem('mlp:data=mnist,train=100,test=10,act=relu,shift=1');
    expect(p.spec).toMatch(/shift=1/);
    expect(loadProblem('mlp:data=mnist,train=100,test=10').spec).not.toMatch(/shift/);
  });
});
