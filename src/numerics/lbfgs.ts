/**
 * Limited-memory BFGS (Nocedal & Wright, Numerical Optimization, 2nd ed., algorithms 7.4, 3.5 and
 * 3.6): the two-loop recursion, and a line search satisfying the strong Wolfe conditions
 *   phi(t) <= phi(0) + c1 t phi'(0),   |phi'(t)| <= c2 |phi'(0)|
 * by bracketing and zooming with safeguarded cubic interpolation. The line search works on any
 * one-dimensional function with a derivative, so the Riemannian variant (solvers/bm/riemannian.ts)
 * reuses it along a retraction curve.
 */

export interface LinePoint {
  t: number;
  value: number;
  slope: number;
}

export interface LineSearchOptions {
  c1?: number;
  c2?: number;
  maxEvaluations?: number;
  /** largest step tried */
  tMax?: number;
}

export interface LineSearchResult extends LinePoint {
  evaluations: number;
  /** true when the strong Wolfe conditions hold at the returned point */
  wolfe: boolean;
}

/** Minimiser of the cubic through (a, fa, da), (b, fb, db), clamped to the safe part of [a, b]. */
function cubicStep(a: LinePoint, b: LinePoint): number {
  const lo = Math.min(a.t, b.t);
  const hi = Math.max(a.t, b.t);
  const d1 = a.slope + b.slope - (3 * (a.value - b.value)) / (a.t - b.t);
  const disc = d1 * d1 - a.slope * b.slope;
  let t = NaN;
  if (disc >= 0) {
    const d2 = Math.sign(b.t - a.t) * Math.sqrt(disc);
    t = b.t - ((b.t - a.t) * (b.slope + d2 - d1)) / (b.slope - a.slope + 2 * d2);
  }
  const margin = 0.1 * (hi - lo);
  if (!Number.isFinite(t) || t < lo + margin || t > hi - margin) t = 0.5 * (lo + hi);
  return t;
}

/**
 * Strong Wolfe line search on phi, from phi(0) = `start` (slope < 0) with first trial step t1.
 * Returns the best point found even when the conditions were not met within the budget.
 */
export function strongWolfeLineSearch(
  phi: (t: number) => LinePoint,
  start: LinePoint,
  t1: number,
  options: LineSearchOptions = {},
): LineSearchResult {
  const c1 = options.c1 ?? 1e-4;
  const c2 = options.c2 ?? 0.9;
  const maxEval = options.maxEvaluations ?? 40;
  const tMax = options.tMax ?? 1e10;
  let evaluations = 0;
  let best: LinePoint = start;
  const evalAt = (t: number): LinePoint => {
    evaluations++;
    const p = phi(t);
    if (p.value < best.value) best = p;
    return p;
  };
  const armijo = (p: LinePoint) => p.value <= start.value + c1 * p.t * start.slope;
  const curvature = (p: LinePoint) => Math.abs(p.slope) <= -c2 * start.slope;

  const zoom = (lo: LinePoint, hi: LinePoint): LineSearchResult => {
    while (evaluations < maxEval) {
      const p = evalAt(cubicStep(lo, hi));
      if (!armijo(p) || p.value >= lo.value) hi = p;
      else {
        if (curvature(p)) return { ...p, evaluations, wolfe: true };
        if (p.slope * (hi.t - lo.t) >= 0) hi = lo;
        lo = p;
      }
      if (Math.abs(hi.t - lo.t) <= 1e-16 * Math.max(1, lo.t)) break;
    }
    return { ...(best.t > 0 ? best : lo), evaluations, wolfe: false };
  };

  let prev = start;
  let t = Math.min(t1, tMax);
  for (;;) {
    const p = evalAt(t);
    if (!Number.isFinite(p.value) || !armijo(p) || (evaluations > 1 && p.value >= prev.value)) {
      if (!Number.isFinite(p.value)) return zoom(prev, { t, value: Infinity, slope: Infinity });
      return zoom(prev, p);
    }
    if (curvature(p)) return { ...p, evaluations, wolfe: true };
    if (p.slope >= 0) return zoom(p, prev);
    if (evaluations >= maxEval || t >= tMax) return { ...best, evaluations, wolfe: false };
    prev = p;
    t = Math.min(2 * t, tMax);
  }
}

/** The L-BFGS memory and the two-loop recursion d = -H g. */
export class LbfgsMemory {
  readonly s: Float64Array[] = [];
  readonly y: Float64Array[] = [];
  readonly rho: number[] = [];
  private readonly alpha: Float64Array;

  constructor(readonly size: number) {
    this.alpha = new Float64Array(size);
  }

  /** Stores a pair if s'y > 0 (keeps H positive definite); returns whether it was stored. */
  push(s: Float64Array, y: Float64Array): boolean {
    let sy = 0;
    let yy = 0;
    for (let i = 0; i < s.length; i++) {
      sy += s[i]! * y[i]!;
      yy += y[i]! * y[i]!;
    }
    if (!(sy > 1e-12 * yy) || !(yy > 0)) return false;
    if (this.s.length === this.size) {
      this.s.shift();
      this.y.shift();
      this.rho.shift();
    }
    this.s.push(s);
    this.y.push(y);
    this.rho.push(1 / sy);
    return true;
  }

  /**
   * Recomputes rho = 1 / s'y after the stored vectors were changed in place (Riemannian vector
   * transport), dropping pairs whose curvature s'y is no longer positive.
   */
  refresh(): void {
    for (let j = this.s.length - 1; j >= 0; j--) {
      const s = this.s[j]!;
      const y = this.y[j]!;
      let sy = 0;
      for (let i = 0; i < s.length; i++) sy += s[i]! * y[i]!;
      if (sy > 0) this.rho[j] = 1 / sy;
      else {
        this.s.splice(j, 1);
        this.y.splice(j, 1);
        this.rho.splice(j, 1);
      }
    }
  }

  clear(): void {
    this.s.length = 0;
    this.y.length = 0;
    this.rho.length = 0;
  }

  /** out = -H g with the initial scaling gamma = s'y / y'y of the newest pair. */
  direction(g: Float64Array, out: Float64Array): void {
    const m = this.s.length;
    const len = g.length;
    out.set(g);
    for (let j = m - 1; j >= 0; j--) {
      const a = this.rho[j]! * dot(this.s[j]!, out, len);
      this.alpha[j] = a;
      axpy(-a, this.y[j]!, out, len);
    }
    if (m > 0) {
      const y = this.y[m - 1]!;
      const gamma = 1 / (this.rho[m - 1]! * dot(y, y, len));
      for (let i = 0; i < len; i++) out[i]! *= gamma;
    }
    for (let j = 0; j < m; j++) {
      const b = this.rho[j]! * dot(this.y[j]!, out, len);
      axpy(this.alpha[j]! - b, this.s[j]!, out, len);
    }
    for (let i = 0; i < len; i++) out[i] = -out[i]!;
  }
}

function dot(a: Float64Array, b: Float64Array, len: number): number {
  let s0 = 0;
  let s1 = 0;
  let i = 0;
  for (; i + 1 < len; i += 2) {
    s0 += a[i]! * b[i]!;
    s1 += a[i + 1]! * b[i + 1]!;
  }
  if (i < len) s0 += a[i]! * b[i]!;
  return s0 + s1;
}

/** y += a x */
function axpy(a: number, x: Float64Array, y: Float64Array, len: number): void {
  for (let i = 0; i < len; i++) y[i]! += a * x[i]!;
}

export interface LbfgsOptions {
  memory?: number;
  maxIterations?: number;
  /** stop when |grad| <= gtol * max(1, |f|) */
  gtol?: number;
}

export interface LbfgsResult {
  x: Float64Array;
  value: number;
  gradNorm: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
}

/** Minimises f from x0; `fg(x, grad)` returns f(x) and writes its gradient. */
export function minimizeLbfgs(fg: (x: Float64Array, grad: Float64Array) => number, x0: Float64Array, options: LbfgsOptions = {}): LbfgsResult {
  const n = x0.length;
  const memory = new LbfgsMemory(options.memory ?? 10);
  const maxIter = options.maxIterations ?? 1000;
  const gtol = options.gtol ?? 1e-8;
  const x = Float64Array.from(x0);
  const grad = new Float64Array(n);
  let value = fg(x, grad);
  let evaluations = 1;
  const d = new Float64Array(n);
  const xt = new Float64Array(n);
  const gt = new Float64Array(n);
  const norm = (v: Float64Array) => Math.sqrt(v.reduce((s, a) => s + a * a, 0));
  let iterations = 0;
  let converged = norm(grad) <= gtol * Math.max(1, Math.abs(value));
  while (!converged && iterations < maxIter) {
    memory.direction(grad, d);
    let slope = 0;
    for (let i = 0; i < n; i++) slope += d[i]! * grad[i]!;
    if (!(slope < 0)) {
      // not a descent direction (numerical trouble): restart from steepest descent
      memory.clear();
      for (let i = 0; i < n; i++) d[i] = -grad[i]!;
      slope = -(norm(grad) ** 2);
    }
    const t1 = memory.s.length === 0 ? Math.min(1, 1 / norm(grad)) : 1;
    const phi = (t: number): LinePoint => {
      for (let i = 0; i < n; i++) xt[i] = x[i]! + t * d[i]!;
      const v = fg(xt, gt);
      let s = 0;
      for (let i = 0; i < n; i++) s += gt[i]! * d[i]!;
      return { t, value: v, slope: s };
    };
    const ls = strongWolfeLineSearch(phi, { t: 0, value, slope }, t1);
    evaluations += ls.evaluations;
    if (!(ls.t > 0) || !(ls.value < value)) break; // no progress possible
    // recompute at the accepted step (phi's buffers hold the last trial, not necessarily it)
    for (let i = 0; i < n; i++) xt[i] = x[i]! + ls.t * d[i]!;
    const newValue = fg(xt, gt);
    evaluations++;
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = xt[i]! - x[i]!;
      y[i] = gt[i]! - grad[i]!;
    }
    memory.push(s, y);
    x.set(xt);
    grad.set(gt);
    value = newValue;
    iterations++;
    converged = norm(grad) <= gtol * Math.max(1, Math.abs(value));
  }
  return { x, value, gradNorm: norm(grad), iterations, evaluations, converged };
}
