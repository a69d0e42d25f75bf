import { describe, expect, it } from 'vitest';
import { addRows, RowSumsArena, rowSumsUnavailable } from '../src/numerics/row-sums.js';
import { MlpProblem } from '../problems/mlp.js';
import { loadTrainTest } from '../src/datasets/load.js';
import { Rng } from '../src/numerics/rng.js';

describe('row sums (src/numerics/row-sums.wat against addRows)', () => {
  it('runs here (the build assembles it; Node 20 has SIMD and bulk memory)', () => {
    expect(rowSumsUnavailable()).toBeUndefined();
  });

  it('every output row equals the JavaScript sum bit for bit, for widths and stretch lengths around the SIMD and four-row boundaries', () => {
    const rng = new Rng(5, 'row-sums');
    for (const h of [1, 2, 3, 4, 5, 7, 8, 13, 64, 129]) {
      const mRows = 23;
      const lengths = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 17];
      const rows = lengths.length;
      const total = lengths.reduce((a, b) => a + b, 0);
      const arena = new RowSumsArena(RowSumsArena.bytesFor(8 * mRows * h, 8 * rows * h, 4 * total, 4 * rows, 4 * rows));
      // entries of very different sizes, so that the order of the additions shows in the rounding
      const M = arena.f64(mRows * h, Float64Array.from({ length: mRows * h }, () => rng.normal() * 10 ** rng.int(12)));
      const out = arena.f64(rows * h, Float64Array.from({ length: rows * h }, () => Number.NaN));
      const index = arena.i32(total);
      const from = arena.i32(rows);
      const to = arena.i32(rows);
      let k = 0;
      lengths.forEach((len, r) => {
        from.view[r] = k;
        for (let t = 0; t < len; t++) index.view[k++] = rng.int(mRows);
        to.view[r] = k;
      });
      arena.gatherSums(rows, from, 0, to, 0, index, M, h, out);
      const expected = new Float64Array(rows * h);
      for (let r = 0; r < rows; r++) addRows(index.view, from.view[r]!, to.view[r]!, M.view, h, expected, r * h);
      expect(Array.from(out.view)).toEqual(Array.from(expected));
    }
  });

  it('the mlp relaxed pass gives the same loss and gradient bits with the WebAssembly and the JavaScript row sums', () => {
    const data = loadTrainTest({ data: 'mnist', trainSize: 300, testSize: 50, holdout: 0.3, noise: 0, levels: 2, cuts: 'shared', inputThreshold: 0.5, seed: 4 });
    const arch = [1568, 19, 10];
    const rng = new Rng(9, 'row-sums-mlp');
    const batch = Int32Array.from({ length: 37 }, () => rng.int(300));
    for (const act of ['relu', 'sign'] as const) {
      for (const shift of [0, 2]) {
        const make = (rowSums: 'wasm' | 'js') => new MlpProblem('mlp:test', arch, data, 1, 'full', act, { p: 0, seed: 1 }, { pixels: shift, seed: 3 }, rowSums);
        const wasm = make('wasm');
        const js = make('js');
        for (const weights of ['real', '±1']) {
          const x = Float64Array.from({ length: wasm.n }, () => (weights === 'real' ? rng.normal() : rng.sign()));
          const g1 = new Float64Array(wasm.n);
          const g2 = new Float64Array(wasm.n);
          expect(wasm.minibatchLossAndGradient(x, g1, batch)).toBe(js.minibatchLossAndGradient(x, g2, batch));
          expect(Array.from(g1)).toEqual(Array.from(g2));
          expect(g1.some((v) => v !== 0)).toBe(true);
        }
      }
    }
  });
});
