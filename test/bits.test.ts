import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { packRows, packSigns, popcount32, unpackSigns } from '../src/core/bits.js';
import { xnorDot, xnorGemm } from '../src/xnor/dot.js';
import { plainDot } from './helpers.js';

const pm1Vector = (n: number) => fc.array(fc.constantFrom(-1, 1), { minLength: n, maxLength: n });

describe('bit packing and the plain XNOR-popcount dot product', () => {
  it('popcount32 counts bits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (x) => {
        const naive = x.toString(2).split('').filter((c) => c === '1').length;
        expect(popcount32(x)).toBe(naive);
      }),
    );
  });

  it('pack/unpack round-trips', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }).chain(pm1Vector), (v) => {
        expect(Array.from(unpackSigns(packSigns(v), v.length))).toEqual(v);
      }),
    );
  });

  it('equals the plain ±1 dot product for lengths that are and are not multiples of 32', () => {
    for (const n of [1, 5, 31, 32, 33, 64, 65, 100, 1000]) {
      fc.assert(
        fc.property(pm1Vector(n), pm1Vector(n), (a, b) => {
          expect(xnorDot(packSigns(a), packSigns(b), n)).toBe(plainDot(a, b));
        }),
        { numRuns: 50 },
      );
    }
  });

  it('xnorGemm equals all plain dot products', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 70 }), fc.integer(), (rows, cols, bits, seed) => {
        let s = seed >>> 0;
        const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) >>> 31 ? 1 : -1);
        const A = Array.from({ length: rows * bits }, next);
        const B = Array.from({ length: cols * bits }, next);
        const out = xnorGemm(packRows(A, rows, bits), packRows(B, cols, bits));
        for (let i = 0; i < rows; i++) {
          for (let j = 0; j < cols; j++) {
            expect(out[i * cols + j]).toBe(plainDot(A.slice(i * bits, (i + 1) * bits), B.slice(j * bits, (j + 1) * bits)));
          }
        }
      }),
    );
  });
});
