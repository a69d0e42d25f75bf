import { describe, expect, it } from 'vitest';
import { MlpProblem } from '../problems/mlp.js';
import { activeLists, packWeightSigns, packWeightSignsPlain } from '../problems/mlp-relaxed.js';
import { packRows } from '../src/core/bits.js';
import { loadTrainTest, type DataSource } from '../src/datasets/load.js';
import { Rng } from '../src/numerics/rng.js';

const SOURCE: DataSource = { data: 'iris', trainSize: 0, testSize: 0, holdout: 0.3, noise: 0, levels: 4, inputThreshold: 0.5, seed: 2 };

describe('the relaxed pass of mlp problems (problems/mlp-relaxed.ts)', () => {
  const data = loadTrainTest(SOURCE);
  const arch = [16, 9, 6, 3];

  it('lists the +1 positions of each row, ascending', () => {
    const signs = Int8Array.from([1, -1, 1, -1, -1, -1, 1, 1, 1]);
    const { start, index } = activeLists(signs, 3, 3);
    expect(Array.from(start)).toEqual([0, 2, 2, 5]);
    expect(Array.from(index)).toEqual([0, 2, 0, 1, 2]);
  });

  it('packs ±1 weights as the packed rows of their signs, and refuses any other value (also -0, NaN, 1 + 2^-52)', () => {
    const rng = new Rng(11);
    const [h, d, offset] = [5, 70, 13];
    const x = Float64Array.from({ length: offset + h * d + 3 }, () => rng.sign());
    const words = Math.ceil(d / 32);
    const want = packRows(Int8Array.from(x.subarray(offset, offset + h * d)), h, d).data;
    for (const pack of [packWeightSigns, packWeightSignsPlain]) {
      const out = new Uint32Array(h * words);
      expect(pack(x, offset, h, d, out)).toBe(true);
      expect(Array.from(out)).toEqual(Array.from(want));
      for (const bad of [0, -0, 0.5, -1.5, 1 + 2 ** -52, -1 - 2 ** -52, 3, NaN, Infinity, -Infinity, 1e-300]) {
        for (const at of [offset, offset + 37, offset + h * d - 1]) {
          const y = Float64Array.from(x);
          y[at] = bad;
          expect(pack(y, offset, h, d, new Uint32Array(h * words))).toBe(false);
        }
      }
      // values outside the layer do not matter
      const y = Float64Array.from(x);
      y[offset - 1] = 0.5;
      y[offset + h * d] = NaN;
      expect(pack(y, offset, h, d, new Uint32Array(h * words))).toBe(true);
    }
  });

  // the buffers are kept between calls: a call must not see anything of the one before
  it.each(['sign', 'relu'] as const)('act=%s: calls in sequence (batch sizes 8, 8, 5, 8; real and ±1 weights in turn) equal a fresh problem each, bit for bit', (act) => {
    const rng = new Rng(4);
    const shared = new MlpProblem('mlp:test', arch, data, 2.5, 'full', act);
    const batches = [
      [3, 17, 40, 41, 90, 5, 60, 77],
      [1, 2, 8, 13, 21, 34, 55, 89],
      [0, 99, 50, 25, 12],
      [3, 17, 40, 41, 90, 5, 60, 77],
    ].map((b) => Int32Array.from(b));
    for (const [k, batch] of batches.entries()) {
      // ±1 weights take the XNOR forward, real ones the float sums: switching must leave nothing behind
      const x = Float64Array.from({ length: shared.n }, () => (k % 2 === 1 ? rng.sign() : rng.uniform(-1, 1)));
      const g1 = new Float64Array(shared.n).fill(7);
      const g2 = new Float64Array(shared.n);
      const l1 = shared.minibatchLossAndGradient(x, g1, batch);
      const l2 = new MlpProblem('mlp:test', arch, data, 2.5, 'full', act).minibatchLossAndGradient(x, g2, batch);
      expect(l1).toBe(l2);
      expect(Array.from(g1)).toEqual(Array.from(g2));
      expect(Math.max(...Array.from(g1, Math.abs))).toBeGreaterThan(1e-3);
    }
  });
});
