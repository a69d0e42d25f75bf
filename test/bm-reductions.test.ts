import { describe, expect, it } from 'vitest';
import { homogenise, maximisationForm } from '../solvers/bm/reductions.js';
import { quadraticValue, symCsrFlipState } from '../src/numerics/sym-csr-flip-state.js';
import { descendByFlips } from '../solvers/common/local-search.js';
import { Rng } from '../src/numerics/rng.js';
import { randomDenseSym, randomMaxCut, toMatrix } from './bm-helpers.js';

function plainQuadratic(M: number[][], x: ArrayLike<number>): number {
  let v = 0;
  for (let i = 0; i < x.length; i++) for (let j = 0; j < x.length; j++) v += M[i]![j]! * x[i]! * x[j]!;
  return v;
}

describe('SymCsr flip state (1-flip search over x\'Cx)', () => {
  it('delta and flip match the quadratic form recomputed densely, for both signs', () => {
    const C = randomDenseSym(9, 4);
    const M = toMatrix(C).to2DArray();
    const rng = new Rng(3, 'x');
    for (const sign of [1, -1] as const) {
      const x = Int8Array.from({ length: 9 }, () => rng.sign());
      const state = symCsrFlipState(C, x, sign);
      for (let step = 0; step < 30; step++) {
        const i = step % 9;
        const y = Int8Array.from(state.w);
        y[i] = -y[i]!;
        expect(state.delta(i)).toBeCloseTo(sign * (plainQuadratic(M, y) - plainQuadratic(M, state.w)), 9);
        state.flip(i);
        expect(state.value).toBeCloseTo(sign * plainQuadratic(M, state.w), 9);
      }
    }
  });

  it('descent ends where no single flip raises x\'Cx', () => {
    const C = randomMaxCut(30, 0.3, 7, true);
    const rng = new Rng(5, 'x');
    const state = symCsrFlipState(C, Int8Array.from({ length: 30 }, () => rng.sign()), -1);
    descendByFlips(state, 30);
    const v = quadraticValue(C, state.w);
    for (let i = 0; i < 30; i++) {
      const y = Int8Array.from(state.w);
      y[i] = -y[i]!;
      expect(quadraticValue(C, y)).toBeLessThanOrEqual(v + 1e-9);
    }
  });
});

describe('reductions and their inverses', () => {
  it('sense flip: max of -C is minus min of C', () => {
    const C = randomDenseSym(5, 2);
    const f = maximisationForm(C, 'min');
    const x = [1, -1, 1, 1, -1];
    expect(f.invert(quadraticValue(f.C, x))).toBeCloseTo(quadraticValue(C, x), 12);
    expect(maximisationForm(C, 'max').C).toBe(C);
  });

  it('homogenisation: x\'Qh x + c is the loss of w = x t, for both signs of t', () => {
    const n = 6;
    const rng = new Rng(8, 'q');
    const Q = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) Q[i * n + j] = Q[j * n + i] = rng.normal();
    const b = Float64Array.from({ length: n }, () => rng.normal());
    const c = 1.5;
    const h = homogenise({ n, Q, b, c });
    expect(h.C.n).toBe(n + 1);
    for (let trial = 0; trial < 20; trial++) {
      const x = Int8Array.from({ length: n + 1 }, () => rng.sign());
      const w = h.invertSigns(x);
      let loss = c;
      for (let i = 0; i < n; i++) {
        loss += 2 * b[i]! * w[i]!;
        for (let j = 0; j < n; j++) loss += Q[i * n + j]! * w[i]! * w[j]!;
      }
      expect(h.invertValue(quadraticValue(h.C, x))).toBeCloseTo(loss, 10);
      // a lower bound stays one after the shift by c: never above the rounded sum v + c
      const v = quadraticValue(h.C, x);
      expect(h.invertLowerBound(v)).toBeLessThan(h.invertValue(v));
    }
  });
});
