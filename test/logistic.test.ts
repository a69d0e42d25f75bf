import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sigmoid, softplus } from '../src/numerics/logistic.js';

describe('sigmoid and softplus', () => {
  it('agree with the plain formulas where those are accurate', () => {
    for (const t of [-30, -5, -1, -1e-9, 0, 1e-9, 0.5, 3, 30]) {
      expect(sigmoid(t)).toBeCloseTo(1 / (1 + Math.exp(-t)), 15);
      expect(softplus(t)).toBeCloseTo(Math.log(1 + Math.exp(t)), 14);
    }
  });
  it('stay finite and exact in the tails', () => {
    expect(softplus(1000)).toBe(1000);
    expect(softplus(-1000)).toBe(0);
    expect(softplus(-50)).toBeCloseTo(Math.exp(-50), 30);
    expect(sigmoid(1000)).toBe(1);
    expect(sigmoid(-1000)).toBe(0);
  });
  it('softplus(-z) is bit for bit the logistic-loss and log-sigmoid forms it replaced', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double({ min: -800, max: 800, noNaN: true }), fc.constantFrom(0, -0, 1e-300, -1e-300)), (z) => {
        expect(softplus(-z)).toBe(z > 0 ? Math.log1p(Math.exp(-z)) : -z + Math.log1p(Math.exp(z)));
        expect(-softplus(-z)).toBe(z >= 0 ? -Math.log1p(Math.exp(-z)) : z - Math.log1p(Math.exp(z)));
      }),
      { numRuns: 2000 },
    );
  });
});
