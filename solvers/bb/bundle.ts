/**
 * A proximal bundle method for the triangle multipliers of a node (triangles.ts), in the spirit
 * of BiqMac (Rendl, Rinaldi & Wiegele 2010), which maximises the same Lagrangian dual with a
 * bundle method instead of subgradient steps.
 *
 * The node's Lagrangian dual function (a min form, concave in y >= 0) is
 *   L(y) = min_{X in elliptope} <C, X> - sum_t y_t g_t(X),   g_t(X) = A_t . X + 1,
 * and every elliptope point X_j it has seen (the factors V V' of the inner SDP solves, feasible
 * however loosely they were solved) gives an affine function above it:
 *   L(y) <= l_j(y) = c_j - y . g(X_j),   c_j = <C, X_j>.
 * The model L^(y) = min_j l_j(y) >= L(y) is maximised near the centre y^ (the best multipliers
 * so far), with a proximal term:
 *   y+ = argmax_{y >= 0} L^(y) - (u/2) |y - y^|^2.
 * Its dual is a small problem over the convex weights lambda of the bundle's points:
 *   min_{lambda in simplex} phi(lambda) = max_{y >= 0} sum_j lambda_j l_j(y) - (u/2) |y - y^|^2,
 * with the maximiser y(lambda) = max(0, y^ - G(lambda)/u), G(lambda) = sum_j lambda_j g(X_j);
 * phi is convex and smooth (gradient c_j - y(lambda) . g(X_j), Lipschitz |G|_F^2 / u), so
 * accelerated projected gradient (FISTA) on the simplex solves it; weak duality phi(lambda) >=
 * L^(y(lambda)) - (u/2)|y(lambda) - y^|^2 is the stopping test.
 *
 * The SDP at y+ is then solved (the caller does it: any proven bound it gives is a proven bound
 * of the node, whatever y+ is); if its value rose by at least a tenth of what the model
 * predicted, y+ becomes the centre (a serious step), otherwise its point only joins the bundle
 * (a null step). The proximal weight u halves after a serious step that met most of the
 * prediction and grows after a null step. Nothing here decides a bound: it only chooses y.
 */
import type { TriangleCuts } from './triangles.js';

/** a serious step must reach this share of the predicted rise (the usual bundle constant) */
const SERIOUS_SHARE = 0.1;
/** a serious step that reaches this share lengthens the next step (u halves) */
const GOOD_SHARE = 0.5;
/** the proximal weight stays within these limits */
const U_MIN = 1e-8;
const U_MAX = 1e8;

interface BundlePoint {
  /** X_j = V V', N x N dense */
  X: Float64Array;
  /** <C, X_j> */
  c: number;
  /** its weight in the last proximal step (points that keep weight 0 leave first) */
  lambda: number;
  age: number;
}

export interface BundleTrial {
  /** the trial multipliers y+, one per inequality of the cut set (in its current order) */
  y: Float64Array;
  /** the model's value L^(y+) */
  model: number;
  /** inner iterations of the dual problem */
  iterations: number;
}

export type BundleStep = 'serious' | 'null';

export class TriangleBundle {
  private points: BundlePoint[] = [];
  private clock = 0;
  /** the Lagrangian value at the centre y^ = cuts.y, as measured (-Infinity: not measured) */
  centreValue: number;

  /**
   * `cuts` holds the centre y^ (its multipliers) and is changed in place; `Cdense` is the node's
   * N x N cost matrix without cuts; `u` the proximal weight (undefined: set from the first point).
   */
  constructor(
    readonly cuts: TriangleCuts,
    readonly Cdense: Float64Array,
    public u: number | undefined,
    centreValue: number,
    readonly maxPoints = 10,
  ) {
    this.centreValue = centreValue;
  }

  get size(): number {
    return this.points.length;
  }

  /** <C, X> over the full matrix */
  private inner(X: Float64Array): number {
    let s = 0;
    const C = this.Cdense;
    for (let e = 0; e < C.length; e++) s += C[e]! * X[e]!;
    return s;
  }

  /** Adds an elliptope point X (N x N, unit diagonal, psd) to the bundle. */
  add(X: Float64Array): void {
    if (this.points.length >= this.maxPoints) {
      // the point that carried the least weight, the oldest among equals
      let drop = 0;
      for (let j = 1; j < this.points.length; j++) {
        const a = this.points[j]!;
        const b = this.points[drop]!;
        if (a.lambda < b.lambda || (a.lambda === b.lambda && a.age < b.age)) drop = j;
      }
      this.points.splice(drop, 1);
    }
    this.points.push({ X, c: this.inner(X), lambda: 0, age: this.clock++ });
  }

  /** l_j(y) for every point, with g computed on the current cut set. */
  linearisations(y: ArrayLike<number>): number[] {
    const T = this.cuts.size;
    return this.points.map((pt) => {
      let s = pt.c;
      for (let t = 0; t < T; t++) if (y[t] !== 0) s -= y[t]! * (this.cuts.value(t, pt.X) + 1);
      return s;
    });
  }

  /**
   * The proximal step from the centre. While u is unset, it is set to the weight whose first
   * step, along the violations of the newest point, would rise by about `rise`.
   */
  trial(rise: number, maxIterations = 1000): BundleTrial {
    const cuts = this.cuts;
    const T = cuts.size;
    const B = this.points.length;
    if (B === 0) throw new Error('bundle: no points');
    const yc = cuts.y;
    // g_jt = A_t . X_j + 1
    const G = new Float64Array(B * T);
    let frob = 0;
    for (let j = 0; j < B; j++) {
      const X = this.points[j]!.X;
      for (let t = 0; t < T; t++) {
        const g = cuts.value(t, X) + 1;
        G[j * T + t] = g;
        frob += g * g;
      }
    }
    if (this.u === undefined) {
      // the newest point's violations: a step y = max(0, -g)/u gains about |g-|^2 / u
      const last = B - 1;
      let viol = 0;
      for (let t = 0; t < T; t++) {
        const g = G[last * T + t]!;
        if (g < 0 || yc[t]! > 0) viol += g * g;
      }
      this.u = Math.min(U_MAX, Math.max(U_MIN, viol / Math.max(rise, 1e-9)));
    }
    const u = this.u;
    const c = this.points.map((p) => p.c);
    const Gl = new Float64Array(T);
    const y = new Float64Array(T);
    const grad = new Float64Array(B);
    // y(lambda), phi(lambda) and its gradient
    const evaluate = (lambda: Float64Array): number => {
      Gl.fill(0);
      let phi = 0;
      for (let j = 0; j < B; j++) {
        const l = lambda[j]!;
        phi += l * c[j]!;
        if (l === 0) continue;
        for (let t = 0; t < T; t++) Gl[t]! += l * G[j * T + t]!;
      }
      for (let t = 0; t < T; t++) {
        const g = Gl[t]!;
        const yt = yc[t]! - g / u;
        if (yt > 0) {
          y[t] = yt;
          phi += -yc[t]! * g + (g * g) / (2 * u);
        } else {
          y[t] = 0;
          phi -= (u / 2) * yc[t]! * yc[t]!;
        }
      }
      for (let j = 0; j < B; j++) {
        let s = c[j]!;
        for (let t = 0; t < T; t++) if (y[t] !== 0) s -= y[t]! * G[j * T + t]!;
        grad[j] = s;
      }
      return phi;
    };
    // the primal value at y: min_j l_j(y) - (u/2)|y - y^|^2
    const primal = (): number => {
      let m = Infinity;
      for (let j = 0; j < B; j++) {
        let s = c[j]!;
        for (let t = 0; t < T; t++) if (y[t] !== 0) s -= y[t]! * G[j * T + t]!;
        m = Math.min(m, s);
      }
      let d = 0;
      for (let t = 0; t < T; t++) d += (y[t]! - yc[t]!) ** 2;
      return m - (u / 2) * d;
    };
    const step = 1 / Math.max(frob / u, 1e-300);
    let lambda = new Float64Array(B);
    // start from the previous weights (the newest point gets a share), else from the newest point
    let sum = 0;
    for (let j = 0; j < B; j++) sum += (lambda[j] = this.points[j]!.lambda);
    if (sum <= 0) lambda[B - 1] = 1;
    else {
      for (let j = 0; j < B; j++) lambda[j] = (0.5 * lambda[j]!) / sum;
      lambda[B - 1]! += 0.5;
    }
    let z = Float64Array.from(lambda);
    let tk = 1;
    let iterations = 0;
    // the model needs about 1e-7 relative accuracy: well below the SDP's 1e-4
    const tol = 1e-7 * Math.max(1, Number.isFinite(this.centreValue) ? Math.abs(this.centreValue) : 0, ...c.map(Math.abs));
    for (; iterations < maxIterations; iterations++) {
      evaluate(z);
      // a gradient step from z, projected on the simplex
      const next = projectSimplex(Float64Array.from(z, (v, j) => v - step * grad[j]!));
      // restart the momentum when the step went against the gradient (O'Donoghue & Candes)
      let against = 0;
      for (let j = 0; j < B; j++) against += grad[j]! * (next[j]! - lambda[j]!);
      const t2 = against > 0 ? 1 : (1 + Math.sqrt(1 + 4 * tk * tk)) / 2;
      const mom = against > 0 ? 0 : (tk - 1) / t2;
      z = Float64Array.from(next, (v, j) => v + mom * (v - lambda[j]!));
      lambda = next;
      tk = t2;
      // weak duality: phi(lambda) >= the primal value at y(lambda); tested every 10 iterations
      if (iterations % 10 === 9) {
        const phi = evaluate(lambda);
        if (phi - primal() <= tol) break;
      }
    }
    const best = lambda;
    // y(best) and the model value there
    evaluate(best);
    for (let j = 0; j < B; j++) this.points[j]!.lambda = best[j]!;
    const yOut = Float64Array.from(y);
    const model = Math.min(...this.linearisations(yOut));
    return { y: yOut, model, iterations };
  }

  /**
   * After the caller evaluated the trial: `value` is the Lagrangian value measured at y+ (the
   * inner SDP's objective, less the shift) and X its point. A serious step moves the centre to
   * y+ (into cuts.y); either way X joins the bundle.
   */
  update(trial: BundleTrial, value: number, X: Float64Array): BundleStep {
    const predicted = trial.model - this.centreValue;
    const rose = value - this.centreValue;
    const serious = !Number.isFinite(this.centreValue) || rose >= SERIOUS_SHARE * predicted;
    if (serious) {
      const y = this.cuts.y;
      for (let t = 0; t < y.length; t++) y[t] = trial.y[t]!;
      if (Number.isFinite(this.centreValue) && predicted > 0 && rose >= GOOD_SHARE * predicted) this.u = Math.max(U_MIN, this.u! / 2);
      this.centreValue = value;
    } else {
      this.u = Math.min(U_MAX, this.u! * 1.5);
    }
    this.add(X);
    return serious ? 'serious' : 'null';
  }
}

/** Euclidean projection onto the probability simplex (sort-based, Held, Wolfe & Crowder). */
export function projectSimplex(v: Float64Array): Float64Array<ArrayBuffer> {
  const n = v.length;
  const s = Float64Array.from(v).sort().reverse();
  let cum = 0;
  let tau = 0;
  for (let i = 0; i < n; i++) {
    cum += s[i]!;
    const t = (cum - 1) / (i + 1);
    if (i === n - 1 || s[i + 1]! <= t) {
      tau = t;
      break;
    }
  }
  return Float64Array.from(v, (x) => Math.max(0, x - tau));
}
