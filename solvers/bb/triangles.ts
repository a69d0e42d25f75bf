/**
 * Triangle inequalities for the SDP bound of a branch-and-bound node, by Lagrangian relaxation.
 *
 * Every ±1 matrix X = xx' satisfies, for i < j < k and each of the four sign patterns s with
 * s_ij s_ik s_jk = 1, the triangle inequality s_ij X_ij + s_ik X_ik + s_jk X_jk >= -1 (the
 * elliptope does not: it is the cut polytope's facet BiqMac adds, Rendl, Rinaldi & Wiegele 2010).
 * For any multipliers y >= 0 and every ±1 x,
 *   x'Cx >= x'Cx - sum_t y_t (A_t . xx' + 1) = x'C(y)x - sum_t y_t,   C(y) = C - sum_t y_t A_t,
 * so the proven diag-SDP lower bound of C(y), less sum y, is a PROVEN lower bound on the node's
 * minimum: whatever y is, however it was found. y only decides how good the bound is. It is
 * improved by projected subgradient steps on the Lagrangian dual (Polyak's step towards the
 * value that would prune the node), the subgradient at y being -(A_t . X + 1) for the SDP's X.
 *
 * Floating point: C(y) is formed in doubles; the entries' rounding errors, summed over all
 * entries (a ±1 X weighs each by at most 1), and the error of sum y are returned as `margin`,
 * to be subtracted from the bound too.
 */
import type { SymCsr } from '../../src/core/sym-csr.js';
import { symCsrFromDense } from '../../src/numerics/csr.js';

const UNIT_ROUNDOFF = 2 ** -53;

/** The signs (s_ij, s_ik, s_jk) of the four triangle inequalities on i < j < k. */
const PATTERNS: readonly (readonly [number, number, number])[] = [
  [1, 1, 1],
  [1, -1, -1],
  [-1, 1, -1],
  [-1, -1, 1],
];

/** A violation below this is not worth a multiplier (X from an SDP solved to about 1e-4). */
const MIN_VIOLATION = 1e-3;

export interface TriangleCost {
  /** C(y) */
  C: SymCsr;
  /** sum of the multipliers: the bound of the node is bound(C(y)) - shift - margin */
  shift: number;
  /** floating-point allowance for forming C(y) and the shift */
  margin: number;
}

/** X = VV' (N x N dense) from a row-major factor of rank k. */
export function gram(V: Float64Array, N: number, k: number): Float64Array {
  const X = new Float64Array(N * N);
  for (let i = 0; i < N; i++) {
    X[i * N + i] = 1;
    for (let j = i + 1; j < N; j++) {
      let s = 0;
      for (let r = 0; r < k; r++) s += V[i * k + r]! * V[j * k + r]!;
      X[i * N + j] = s;
      X[j * N + i] = s;
    }
  }
  return X;
}

/** A working set of triangle inequalities on an N x N SDP, with their multipliers. */
export class TriangleCuts {
  /** i < j < k and the pattern, per inequality */
  readonly i: number[] = [];
  readonly j: number[] = [];
  readonly k: number[] = [];
  readonly p: number[] = [];
  readonly y: number[] = [];

  constructor(readonly N: number) {}

  get size(): number {
    return this.y.length;
  }

  private add(i: number, j: number, k: number, p: number, y: number): void {
    this.i.push(i);
    this.j.push(j);
    this.k.push(k);
    this.p.push(p);
    this.y.push(y);
  }

  /** A . X for inequality t (>= -1 on every ±1 point). */
  value(t: number, X: Float64Array): number {
    const N = this.N;
    const [a, b, c] = PATTERNS[this.p[t]!]!;
    const i = this.i[t]!;
    const j = this.j[t]!;
    const k = this.k[t]!;
    return a * X[i * N + j]! + b * X[i * N + k]! + c * X[j * N + k]!;
  }

  /**
   * C(y) = C - sum y_t A_t from the node's dense cost matrix C (N x N), with shift and margin;
   * y is the set's own multipliers unless another vector (one entry per inequality) is given.
   */
  cost(Cdense: Float64Array, multipliers: ArrayLike<number> = this.y): TriangleCost {
    const N = this.N;
    if (multipliers.length !== this.y.length) throw new Error(`cost: ${multipliers.length} multipliers for ${this.y.length} inequalities`);
    const A = Float64Array.from(Cdense);
    // per upper-triangle entry: how many terms were subtracted, and their absolute sum
    const terms = new Int32Array(N * N);
    const absTerms = new Float64Array(N * N);
    let shift = 0;
    for (let t = 0; t < this.y.length; t++) {
      const y = multipliers[t]!;
      if (y === 0) continue;
      const [a, b, c] = PATTERNS[this.p[t]!]!;
      const i = this.i[t]!;
      const j = this.j[t]!;
      const k = this.k[t]!;
      // A_t has s/2 at (i, j) and (j, i), so that A_t . X = s X_ij + ...
      const h = y / 2;
      A[i * N + j]! -= a * h;
      A[j * N + i]! -= a * h;
      A[i * N + k]! -= b * h;
      A[k * N + i]! -= b * h;
      A[j * N + k]! -= c * h;
      A[k * N + j]! -= c * h;
      for (const e of [i * N + j, i * N + k, j * N + k]) {
        terms[e]!++;
        absTerms[e]! += h;
      }
      shift += y;
    }
    // an entry that is a floating-point sum of 1 + m terms is off by at most 1.01 m u times their
    // absolute sum (m u << 1); it appears twice in x'Ax, weighted by ±1. The shift is a sum of
    // `size` positive numbers: off by at most size u shift.
    let margin = 1.01 * multipliers.length * UNIT_ROUNDOFF * shift;
    for (let a = 0; a < N; a++) {
      for (let b = a + 1; b < N; b++) {
        const m = terms[a * N + b]!;
        if (m > 0) margin += 2 * 1.01 * m * UNIT_ROUNDOFF * (Math.abs(Cdense[a * N + b]!) + absTerms[a * N + b]!);
      }
    }
    return { C: symCsrFromDense(N, A), shift, margin };
  }

  /**
   * One projected subgradient step towards `target` (the SDP value that would prune the node),
   * from `estimate` (the Lagrangian value at the current y, as the last SDP solve measured it)
   * and the SDP's X: Polyak's step theta (target - estimate) / |g|^2. Before the step, up to
   * `maxNew` of the most violated inequalities not yet in the set join it (with y = 0); after it,
   * inequalities whose multiplier fell to 0 leave. Returns how many joined.
   */
  step(X: Float64Array, estimate: number, target: number, theta: number, maxNew: number): number {
    const joined = this.separate(X, maxNew);
    // g_t = -(A_t . X + 1), projected: a zero multiplier cannot go down
    const g = new Float64Array(this.y.length);
    let norm2 = 0;
    for (let t = 0; t < this.y.length; t++) {
      let gt = -(this.value(t, X) + 1);
      if (this.y[t] === 0 && gt < 0) gt = 0;
      g[t] = gt;
      norm2 += gt * gt;
    }
    if (norm2 > 0) {
      const alpha = (theta * Math.max(target - estimate, 1e-6 * Math.max(1, Math.abs(target)))) / norm2;
      for (let t = 0; t < this.y.length; t++) this.y[t] = Math.max(0, this.y[t]! + alpha * g[t]!);
    }
    this.compact();
    return joined;
  }

  /**
   * Separation: up to `maxNew` of the inequalities most violated by X (by more than
   * MIN_VIOLATION) that are not in the set yet join it with multiplier 0. Returns how many joined.
   */
  separate(X: Float64Array, maxNew: number): number {
    const N = this.N;
    const known = new Set<number>();
    for (let t = 0; t < this.y.length; t++) known.add(((this.i[t]! * N + this.j[t]!) * N + this.k[t]!) * 4 + this.p[t]!);
    // all triples, all patterns (N = 81: 85 320 triples)
    const found: { v: number; i: number; j: number; k: number; p: number }[] = [];
    let worst = -1 - MIN_VIOLATION;
    for (let i = 0; i < N; i++) {
      for (let j = i + 1; j < N; j++) {
        const xij = X[i * N + j]!;
        for (let k = j + 1; k < N; k++) {
          const xik = X[i * N + k]!;
          const xjk = X[j * N + k]!;
          // the four patterns of PATTERNS, written out: this loop is most of the separation's time
          const s0 = xij + xik + xjk;
          const s1 = xij - xik - xjk;
          const s2 = -xij + xik - xjk;
          const s3 = -xij - xik + xjk;
          if (s0 >= worst && s1 >= worst && s2 >= worst && s3 >= worst) continue;
          const values = [s0, s1, s2, s3];
          for (let p = 0; p < 4; p++) {
            const v = values[p]!;
            if (v < worst && !known.has(((i * N + j) * N + k) * 4 + p)) {
              found.push({ v, i, j, k, p });
              // keep the list short: once it is long, only the more violated are taken
              if (found.length >= 8 * maxNew) {
                found.sort((x, y) => x.v - y.v);
                found.length = maxNew;
                worst = found[maxNew - 1]!.v;
              }
            }
          }
        }
      }
    }
    found.sort((x, y) => x.v - y.v);
    let joined = 0;
    for (const f of found) {
      if (joined >= maxNew) break;
      this.add(f.i, f.j, f.k, f.p, 0);
      joined++;
    }
    return joined;
  }

  /**
   * Keep only the inequalities t with keep(t); `alongside` are per-inequality arrays (e.g. a trial
   * point's multipliers) compacted in the same way. Returns them compacted.
   */
  keepWhere(keep: (t: number) => boolean, alongside: Float64Array[] = []): Float64Array<ArrayBuffer>[] {
    const kept = alongside.map((a) => new Float64Array(a.length));
    let w = 0;
    for (let t = 0; t < this.y.length; t++) {
      if (!keep(t)) continue;
      this.i[w] = this.i[t]!;
      this.j[w] = this.j[t]!;
      this.k[w] = this.k[t]!;
      this.p[w] = this.p[t]!;
      this.y[w] = this.y[t]!;
      alongside.forEach((a, s) => (kept[s]![w] = a[t]!));
      w++;
    }
    for (const a of [this.i, this.j, this.k, this.p, this.y]) a.length = w;
    return kept.map((a) => a.subarray(0, w));
  }

  /** Drop inequalities with a zero multiplier. */
  private compact(): void {
    this.keepWhere((t) => this.y[t]! > 0);
  }

  /**
   * The cuts of a child that has lost row `drop` (a fixed variable) of this node's SDP: the
   * inequalities that do not touch it, renumbered; their multipliers a start for the child's.
   */
  without(drop: number): TriangleCuts {
    const child = new TriangleCuts(this.N - 1);
    const map = (a: number) => (a > drop ? a - 1 : a);
    for (let t = 0; t < this.y.length; t++) {
      const i = this.i[t]!;
      const j = this.j[t]!;
      const k = this.k[t]!;
      if (i === drop || j === drop || k === drop) continue;
      child.add(map(i), map(j), map(k), this.p[t]!, this.y[t]!);
    }
    return child;
  }
}
