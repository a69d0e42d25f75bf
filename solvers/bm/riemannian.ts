/**
 * Riemannian L-BFGS on the product of spheres (the oblique manifold {V : |v_i| = 1}), minimising
 * F(V) = -<C, V V'>. Riemannian gradient: the Euclidean gradient -2 C V with each row projected
 * onto the tangent space of its sphere; retraction: row normalisation R(V + t D); vector
 * transport: projection onto the new tangent space. The strong Wolfe line search of src/lbfgs.ts
 * runs along the retraction curve, whose slope is
 *   phi'(t) = sum_i rgrad_i(U) . d_i / |v_i + t d_i|,  U = R(V + t D).
 */
import type { BmKernels } from './kernels.js';
import { LbfgsMemory, strongWolfeLineSearch, type LinePoint } from '../../src/numerics/lbfgs.js';

export class RiemannianLbfgs {
  private readonly n: number;
  private readonly V: Float64Array;
  private readonly k: number;
  private readonly size: number;
  private readonly memory = new LbfgsMemory(8);
  /** F at V and its Riemannian gradient */
  private F: number;
  private readonly grad: Float64Array;
  private readonly d: Float64Array;
  private readonly U: Float64Array;
  private readonly gU: Float64Array;
  private readonly rowNorm: Float64Array;
  private lastStep = 1;
  private failures = 0;
  stalled = false;

  constructor(private readonly kernels: BmKernels, n: number) {
    this.V = kernels.V;
    this.k = kernels.k;
    this.n = n;
    const k = this.k;
    this.size = this.n * k;
    this.grad = new Float64Array(this.size);
    this.d = new Float64Array(this.size);
    this.U = new Float64Array(this.size);
    this.gU = new Float64Array(this.size);
    this.rowNorm = new Float64Array(this.n);
    this.F = this.valueAndGradient(this.V, this.grad);
  }

  /** <C, V V'> at the current point */
  get value(): number {
    return -this.F;
  }

  /** F(X) = -<C, X X'>, and the Riemannian gradient into out. */
  private valueAndGradient(X: Float64Array, out: Float64Array): number {
    const { n, k } = this;
    this.kernels.applyC(X, out);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const base = i * k;
      // (C X)_i . x_i is y_i; egrad_i = -2 (C X)_i; project onto the tangent space at x_i
      let dot = 0;
      for (let r = 0; r < k; r++) dot += out[base + r]! * X[base + r]!;
      total += dot;
      for (let r = 0; r < k; r++) out[base + r] = -2 * (out[base + r]! - dot * X[base + r]!);
    }
    return -total;
  }

  private projectInto(X: Float64Array, v: Float64Array): void {
    const { n, k } = this;
    for (let i = 0; i < n; i++) {
      const base = i * k;
      let dot = 0;
      for (let r = 0; r < k; r++) dot += v[base + r]! * X[base + r]!;
      for (let r = 0; r < k; r++) v[base + r]! -= dot * X[base + r]!;
    }
  }

  private retract(t: number): void {
    const { n, k, V, d, U } = this;
    for (let i = 0; i < n; i++) {
      const base = i * k;
      let norm = 0;
      for (let r = 0; r < k; r++) {
        const u = V[base + r]! + t * d[base + r]!;
        U[base + r] = u;
        norm += u * u;
      }
      norm = Math.sqrt(norm);
      this.rowNorm[i] = norm;
      for (let r = 0; r < k; r++) U[base + r]! /= norm;
    }
  }

  /** One L-BFGS iteration; returns the increase of <C, V V'>. */
  step(): number {
    const { size, grad, d, U, gU, n, k } = this;
    this.memory.direction(grad, d);
    this.projectInto(this.V, d);
    let slope = 0;
    let gnorm2 = 0;
    for (let i = 0; i < size; i++) {
      slope += d[i]! * grad[i]!;
      gnorm2 += grad[i]! * grad[i]!;
    }
    if (gnorm2 === 0) {
      this.stalled = true;
      return 0;
    }
    if (!(slope < 0)) {
      this.memory.clear();
      for (let i = 0; i < size; i++) d[i] = -grad[i]!;
      slope = -gnorm2;
    }
    let evaluatedAt = NaN;
    const phi = (t: number): LinePoint => {
      evaluatedAt = t;
      this.retract(t);
      const value = this.valueAndGradient(U, gU);
      let s = 0;
      for (let i = 0; i < n; i++) {
        const base = i * k;
        let row = 0;
        for (let r = 0; r < k; r++) row += gU[base + r]! * d[base + r]!;
        s += row / this.rowNorm[i]!;
      }
      return { t, value, slope: s };
    };
    const t1 = this.memory.s.length === 0 ? Math.min(1, this.lastStep) / Math.sqrt(gnorm2 / n) : 1;
    const ls = strongWolfeLineSearch(phi, { t: 0, value: this.F, slope }, t1, { maxEvaluations: 20 });
    if (!(ls.t > 0) || !(ls.value < this.F)) {
      this.failures++;
      this.memory.clear();
      if (this.failures >= 3) this.stalled = true;
      return 0;
    }
    this.failures = 0;
    this.lastStep = ls.t * Math.sqrt(gnorm2 / n);
    // U and gU hold the last trial; re-evaluate only if the search returned an earlier point
    const newF = evaluatedAt === ls.t ? ls.value : (this.retract(ls.t), this.valueAndGradient(U, gU));
    // s = transported step, y = new gradient - transported old gradient (projection transport).
    // Older pairs are not transported again (a common simplification that saves 2m projections
    // per iteration); the direction is projected onto the tangent space instead, and the
    // curvature check in push() keeps the pairs usable.
    const s = new Float64Array(size);
    const y = new Float64Array(size);
    for (let i = 0; i < size; i++) s[i] = ls.t * d[i]!;
    this.projectInto(U, s);
    y.set(grad);
    this.projectInto(U, y);
    for (let i = 0; i < size; i++) y[i] = gU[i]! - y[i]!;
    this.memory.push(s, y);
    this.V.set(U);
    grad.set(gU);
    const gain = this.F - newF;
    this.F = newF;
    return gain;
  }

  restart(): void {
    // keep the memory: the certificate check does not move V
  }
}
