import { describe, expect, it } from 'vitest';
import { minimizeLbfgs, strongWolfeLineSearch, LbfgsMemory } from '../src/numerics/lbfgs.js';
import { Rng } from '../src/numerics/rng.js';

/** Extended Rosenbrock: sum over pairs 100 (x_{2i} - x_{2i-1}^2)^2 + (1 - x_{2i-1})^2; minimum 0 at all ones. */
function rosenbrock(x: Float64Array, g: Float64Array): number {
  let f = 0;
  g.fill(0);
  for (let i = 0; i < x.length; i += 2) {
    const a = x[i]!;
    const b = x[i + 1]!;
    const t = b - a * a;
    f += 100 * t * t + (1 - a) * (1 - a);
    g[i] = -400 * t * a - 2 * (1 - a);
    g[i + 1] = 200 * t;
  }
  return f;
}

/** Chained (coupled) Rosenbrock: sum_i 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2. */
function chainedRosenbrock(x: Float64Array, g: Float64Array): number {
  let f = 0;
  g.fill(0);
  for (let i = 0; i + 1 < x.length; i++) {
    const t = x[i + 1]! - x[i]! * x[i]!;
    f += 100 * t * t + (1 - x[i]!) ** 2;
    g[i]! += -400 * t * x[i]! - 2 * (1 - x[i]!);
    g[i + 1]! += 200 * t;
  }
  return f;
}

describe('L-BFGS', () => {
  it('minimises the extended Rosenbrock function in 500 dimensions from the standard start', () => {
    const n = 500;
    const x0 = new Float64Array(n);
    for (let i = 0; i < n; i += 2) (x0[i] = -1.2), (x0[i + 1] = 1);
    const r = minimizeLbfgs(rosenbrock, x0, { maxIterations: 2000, gtol: 1e-10 });
    expect(r.converged).toBe(true);
    expect(r.value).toBeLessThan(1e-14);
    for (let i = 0; i < n; i++) expect(Math.abs(r.x[i]! - 1)).toBeLessThan(1e-6);
  });

  it('minimises the chained Rosenbrock function in 300 dimensions from random starts', () => {
    for (const seed of [1, 2, 3]) {
      const rng = new Rng(seed);
      const x0 = Float64Array.from({ length: 300 }, () => rng.uniform(-2, 2));
      const r = minimizeLbfgs(chainedRosenbrock, x0, { maxIterations: 5000, gtol: 1e-10 });
      expect(r.converged).toBe(true);
      // the chained function has a second local minimiser with x_0 near -1; either is a stationary point
      expect(r.gradNorm).toBeLessThan(1e-8);
      const g = new Float64Array(300);
      expect(chainedRosenbrock(r.x, g)).toBeCloseTo(r.value, 12);
    }
  });

  it('line search returns points that satisfy the strong Wolfe conditions', () => {
    const rng = new Rng(7);
    for (let trial = 0; trial < 50; trial++) {
      // phi(t) = a quartic with a negative slope at 0
      const a = rng.uniform(0.1, 3);
      const b = rng.uniform(0.1, 3);
      const phi = (t: number) => ({ t, value: -b * t + a * t * t * t * t, slope: -b + 4 * a * t * t * t });
      const start = phi(0);
      const t1 = rng.uniform(1e-3, 10);
      const r = strongWolfeLineSearch(phi, start, t1, { c1: 1e-4, c2: 0.9 });
      expect(r.wolfe).toBe(true);
      expect(r.value).toBeLessThanOrEqual(start.value + 1e-4 * r.t * start.slope);
      expect(Math.abs(r.slope)).toBeLessThanOrEqual(0.9 * Math.abs(start.slope));
    }
  });

  it('two-loop recursion reproduces the inverse Hessian of a quadratic after n exact pairs', () => {
    // f = x'Ax/2 with A diagonal; pairs s = e_i, y = A e_i: H must equal A^-1 on the span
    const n = 5;
    const A = [1, 2, 3, 4, 5];
    const mem = new LbfgsMemory(n);
    for (let i = 0; i < n; i++) {
      const s = new Float64Array(n);
      const y = new Float64Array(n);
      s[i] = 1;
      y[i] = A[i]!;
      expect(mem.push(s, y)).toBe(true);
    }
    const g = Float64Array.from([1, 1, 1, 1, 1]);
    const d = new Float64Array(n);
    mem.direction(g, d);
    for (let i = 0; i < n; i++) expect(d[i]).toBeCloseTo(-1 / A[i]!, 12);
    // a pair with negative curvature is refused
    expect(mem.push(Float64Array.from([1, 0, 0, 0, 0]), Float64Array.from([-1, 0, 0, 0, 0]))).toBe(false);
  });
});
