/**
 * Riemannian trust-region Newton on the product of spheres (the oblique manifold), with the exact
 * Hessian and Steihaug-Toint truncated CG, the end game after mixing (Absil, Baker & Gallivan
 * 2007; Manopt's `trustregions` and its MaxCut example; Boumal, Voroninski & Bandeira 2016).
 * Minimising F(V) = -<C, V V'>, with S = Diag(y) - C and y_i = v_i . (C V)_i:
 *   grad F(V)_i     = 2 (S V)_i                    (already tangent: (S V)_i . v_i = 0)
 *   Hess F(V)[U]_i  = 2 P_i (S U)_i,  P_i = I - v_i v_i'
 * Mixing converges linearly with a rate that creeps towards 1 as the dual residual lambda_min(S)
 * approaches 0; Newton converges quadratically there, which is what the certificate needs.
 * Each inner CG step costs one product C U (the kernels' applyC), about one sweep.
 */
import type { BmKernels } from './kernels.js';

export class RiemannianNewton {
  private readonly n: number;
  private readonly k: number;
  private readonly V: Float64Array;
  private readonly size: number;
  /** C V, y and grad F at V */
  private readonly CV: Float64Array;
  private readonly y: Float64Array;
  private readonly grad: Float64Array;
  private F: number;
  private radius: number;
  private readonly maxRadius: number;
  // CG work vectors
  private readonly eta: Float64Array;
  private readonly r: Float64Array;
  private readonly delta: Float64Array;
  private readonly Hdelta: Float64Array;
  private readonly U: Float64Array;
  private readonly CU: Float64Array;
  /** Hessian-vector products so far (each one product C U) */
  hessianProducts = 0;
  private rejections = 0;
  stalled = false;

  constructor(private readonly kernels: BmKernels, n: number) {
    this.n = n;
    this.k = kernels.k;
    this.V = kernels.V;
    const size = n * this.k;
    this.size = size;
    const z = () => new Float64Array(size);
    this.CV = z();
    this.grad = z();
    this.eta = z();
    this.r = z();
    this.delta = z();
    this.Hdelta = z();
    this.U = z();
    this.CU = z();
    this.y = new Float64Array(n);
    this.F = this.evaluate(this.V, this.CV, this.y, this.grad);
    // the natural scale of a step: the sphere's radius per row
    this.maxRadius = Math.sqrt(n);
    this.radius = this.maxRadius / 8;
  }

  /** <C, V V'> at the current point */
  get value(): number {
    return -this.F;
  }

  /** F(X) = -<C, X X'>, with C X into CX, y and grad F into the given arrays. */
  private evaluate(X: Float64Array, CX: Float64Array, y: Float64Array, grad: Float64Array): number {
    const { n, k } = this;
    this.kernels.applyC(X, CX);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const b = i * k;
      let yi = 0;
      for (let r = 0; r < k; r++) yi += CX[b + r]! * X[b + r]!;
      y[i] = yi;
      total += yi;
      for (let r = 0; r < k; r++) grad[b + r] = 2 * (yi * X[b + r]! - CX[b + r]!);
    }
    return -total;
  }

  /** out = Hess F(V)[u] = 2 P (S u), for a tangent u */
  private hessian(u: Float64Array, out: Float64Array): void {
    this.kernels.hessian(this.y, u, out);
    this.hessianProducts++;
  }

  /**
   * Steihaug-Toint truncated CG for min_eta <g, eta> + 1/2 <eta, H eta>, |eta| <= radius: stops at
   * the boundary, on negative curvature, or at |r| <= |g| min(|g|^theta, kappa) (theta = 1:
   * quadratic convergence, kappa = 0.1). The residual r = g + H eta is kept, so H eta = r - g
   * needs no product of its own; the vector updates are fused into two passes per step.
   * Returns whether it stopped at the boundary.
   */
  private truncatedCg(maxInner: number): boolean {
    const { eta, r, delta, Hdelta, grad, radius, V, n, k } = this;
    eta.fill(0);
    r.set(grad);
    let rr = 0;
    for (let i = 0; i < this.size; i++) {
      delta[i] = -r[i]!;
      rr += r[i]! * r[i]!;
    }
    const g0 = Math.sqrt(rr);
    const stop = g0 * Math.min(g0, 0.1);
    let etaEta = 0;
    let etaDelta = 0;
    let deltaDelta = rr;
    for (let j = 0; j < maxInner; j++) {
      this.hessian(delta, Hdelta);
      let curvature = 0;
      for (let i = 0; i < this.size; i++) curvature += delta[i]! * Hdelta[i]!;
      const alpha = rr / curvature;
      const nextNorm2 = etaEta + 2 * alpha * etaDelta + alpha * alpha * deltaDelta;
      if (!(curvature > 0) || nextNorm2 >= radius * radius) {
        // to the boundary along delta: |eta + tau delta| = radius
        const tau = (-etaDelta + Math.sqrt(Math.max(0, etaDelta * etaDelta + deltaDelta * (radius * radius - etaEta)))) / deltaDelta;
        for (let i = 0; i < this.size; i++) {
          eta[i]! += tau * delta[i]!;
          r[i]! += tau * Hdelta[i]!;
        }
        return true;
      }
      let rrNext = 0;
      for (let i = 0; i < this.size; i++) {
        eta[i]! += alpha * delta[i]!;
        const ri = r[i]! + alpha * Hdelta[i]!;
        r[i] = ri;
        rrNext += ri * ri;
      }
      etaEta = nextNorm2;
      if (Math.sqrt(rrNext) <= stop) break;
      const beta = rrNext / rr;
      rr = rrNext;
      // delta = -r + beta delta, projected onto the tangent space (against drift), with the two
      // inner products the boundary test needs
      etaDelta = 0;
      deltaDelta = 0;
      for (let row = 0; row < n; row++) {
        const b = row * k;
        let dot = 0;
        for (let c = 0; c < k; c++) {
          const d = -r[b + c]! + beta * delta[b + c]!;
          delta[b + c] = d;
          dot += d * V[b + c]!;
        }
        for (let c = 0; c < k; c++) {
          const d = delta[b + c]! - dot * V[b + c]!;
          delta[b + c] = d;
          etaDelta += eta[b + c]! * d;
          deltaDelta += d * d;
        }
      }
    }
    return false;
  }

  /** One trust-region iteration; returns the increase of <C, V V'> (0 if the step was rejected). */
  step(maxInner = 1000): number {
    const { n, k, V, eta, U, CU, size } = this;
    if (this.stalled) return 0;
    const atBoundary = this.truncatedCg(maxInner);
    // m(eta) - F = <g, eta> + 1/2 <eta, H eta>, with H eta = r - g
    let model = 0;
    const { grad, r } = this;
    for (let i = 0; i < size; i++) model += grad[i]! * eta[i]! + 0.5 * eta[i]! * (r[i]! - grad[i]!);
    // retraction: row normalisation of V + eta
    for (let i = 0; i < n; i++) {
      const b = i * k;
      let norm = 0;
      for (let r = 0; r < k; r++) {
        const u = V[b + r]! + eta[b + r]!;
        U[b + r] = u;
        norm += u * u;
      }
      const inv = 1 / Math.sqrt(norm);
      for (let r = 0; r < k; r++) U[b + r]! *= inv;
    }
    const yU = new Float64Array(n);
    const gradU = new Float64Array(size);
    const FU = this.evaluate(U, CU, yU, gradU);
    const actual = this.F - FU;
    const rho = model < 0 ? actual / -model : -1;
    if (rho < 0.25) this.radius /= 4;
    else if (rho > 0.75 && atBoundary) this.radius = Math.min(2 * this.radius, this.maxRadius);
    if (!(rho > 0.1) || !(actual > 0)) {
      // a model this close to the function that still fails: rounding level, nothing left to gain
      if (++this.rejections >= 8) this.stalled = true;
      return 0;
    }
    this.rejections = 0;
    V.set(U);
    this.CV.set(CU);
    this.y.set(yU);
    this.grad.set(gradU);
    this.F = FU;
    return actual;
  }
}
