/**
 * The Burer-Monteiro factor: X = V V' with V (n x k, row-major) having unit rows, so that
 * diag(X) = 1 holds by construction. Shared by both algorithms, the certificate and rounding.
 */
import type { SymCsr } from '../../src/core/sym-csr.js';
import type { Rng } from '../../src/numerics/rng.js';

export function defaultRank(n: number): number {
  return Math.min(n, Math.ceil(Math.sqrt(2 * n)) + 1);
}

/**
 * The rank the staircase starts from when no rank is asked for (solve-sdp.ts): a third of the
 * default, at least 16, and the default itself below n = 200, where a sweep costs microseconds.
 * Measured with over-relaxed mixing (omega 1.8), seeds 1-6, sweeps x final rank to a certified
 * 1e-6, summed: G1 4992 from 16 against 6426 from 21 (half the default, the previous rule), G14
 * 8272 against 10962, G43 5632 against 7791; G22 (seeds 1-3) 6468 from 22 against 7986 from 33.
 * Lower starts stop at non-optimal stationary points more often (G1 from 10 or 12: 150-165
 * sweeps, the staircase leaving them), and the torus G11 prefers more columns (1800 sweeps from 16
 * against 1010 from 21, seed 1), which it still certifies far inside Mixing's time
 * (bench/RESULTS.md, issue 10 third pass).
 */
export function startRank(n: number): number {
  const full = defaultRank(n);
  return n < 200 ? full : Math.min(full, Math.max(16, Math.ceil(full / 3)));
}

/**
 * The factor grown from k to k2 columns for the staircase: V's columns, then t u in the first new
 * column (u the escape direction, scaled so that its largest entry is `step`) and small random
 * entries (normal, standard deviation `step` / 10) in the others, each row normalised again. For a
 * unit u with u'Su = theta < 0 the objective grows by about -theta t^2 to second order, so the
 * mixing sweeps that follow move away from the stationary point. The random entries matter: a
 * column that is zero in every row stays zero under mixing, so zeros would add no rank at all.
 */
export function grownFactor(V: Float64Array, n: number, k: number, k2: number, u: Float64Array, step: number, rng: Rng): Float64Array {
  let umax = 0;
  for (let i = 0; i < n; i++) umax = Math.max(umax, Math.abs(u[i]!));
  const t = umax > 0 ? step / umax : 0;
  const W = new Float64Array(n * k2);
  for (let i = 0; i < n; i++) {
    let norm = 0;
    for (let r = 0; r < k; r++) {
      const v = V[i * k + r]!;
      W[i * k2 + r] = v;
      norm += v * v;
    }
    const e = t * u[i]!;
    W[i * k2 + k] = e;
    norm += e * e;
    for (let r = k + 1; r < k2; r++) {
      const z = 0.1 * step * rng.normal();
      W[i * k2 + r] = z;
      norm += z * z;
    }
    norm = Math.sqrt(norm);
    for (let r = 0; r < k2; r++) W[i * k2 + r]! /= norm;
  }
  return W;
}

/** Random unit rows (uniform on each sphere). */
export function randomFactor(n: number, k: number, rng: Rng): Float64Array {
  const V = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    let norm = 0;
    for (let r = 0; r < k; r++) {
      const z = rng.normal();
      V[i * k + r] = z;
      norm += z * z;
    }
    norm = Math.sqrt(norm);
    for (let r = 0; r < k; r++) V[i * k + r]! /= norm;
  }
  return V;
}

/**
 * out[at .. at+k) (+)= sum_{j != i} C_ij v_j for one row i: the off-diagonal "field" on v_i, the
 * kernel of every method here. Neighbours are taken eight at a time (then four, then one) and
 * columns four at a time, so each out[] entry is loaded and stored once per eight neighbours:
 * measured on G1 (k = 41) about 25% less CPU per sweep than two neighbours at a time, which was
 * itself about twice the plain double loop (bench/RESULTS.md, "SDP performance pass").
 */
export function addRowField(C: SymCsr, V: Float64Array, k: number, i: number, out: Float64Array, at = 0): void {
  const { rowPtr, col, val } = C;
  const k4 = k & ~3;
  const end = rowPtr[i + 1]!;
  let p = rowPtr[i]!;
  for (; p + 7 < end; p += 8) {
    const c0 = val[p]!;
    const c1 = val[p + 1]!;
    const c2 = val[p + 2]!;
    const c3 = val[p + 3]!;
    const c4 = val[p + 4]!;
    const c5 = val[p + 5]!;
    const c6 = val[p + 6]!;
    const c7 = val[p + 7]!;
    const a0 = col[p]! * k;
    const a1 = col[p + 1]! * k;
    const a2 = col[p + 2]! * k;
    const a3 = col[p + 3]! * k;
    const a4 = col[p + 4]! * k;
    const a5 = col[p + 5]! * k;
    const a6 = col[p + 6]! * k;
    const a7 = col[p + 7]! * k;
    let r = 0;
    for (; r < k4; r += 4) {
      out[at + r]! += c0 * V[a0 + r]! + c1 * V[a1 + r]! + c2 * V[a2 + r]! + c3 * V[a3 + r]! + c4 * V[a4 + r]! + c5 * V[a5 + r]! + c6 * V[a6 + r]! + c7 * V[a7 + r]!;
      out[at + r + 1]! +=
        c0 * V[a0 + r + 1]! + c1 * V[a1 + r + 1]! + c2 * V[a2 + r + 1]! + c3 * V[a3 + r + 1]! + c4 * V[a4 + r + 1]! + c5 * V[a5 + r + 1]! + c6 * V[a6 + r + 1]! + c7 * V[a7 + r + 1]!;
      out[at + r + 2]! +=
        c0 * V[a0 + r + 2]! + c1 * V[a1 + r + 2]! + c2 * V[a2 + r + 2]! + c3 * V[a3 + r + 2]! + c4 * V[a4 + r + 2]! + c5 * V[a5 + r + 2]! + c6 * V[a6 + r + 2]! + c7 * V[a7 + r + 2]!;
      out[at + r + 3]! +=
        c0 * V[a0 + r + 3]! + c1 * V[a1 + r + 3]! + c2 * V[a2 + r + 3]! + c3 * V[a3 + r + 3]! + c4 * V[a4 + r + 3]! + c5 * V[a5 + r + 3]! + c6 * V[a6 + r + 3]! + c7 * V[a7 + r + 3]!;
    }
    for (; r < k; r++) out[at + r]! += c0 * V[a0 + r]! + c1 * V[a1 + r]! + c2 * V[a2 + r]! + c3 * V[a3 + r]! + c4 * V[a4 + r]! + c5 * V[a5 + r]! + c6 * V[a6 + r]! + c7 * V[a7 + r]!;
  }
  for (; p + 3 < end; p += 4) {
    const c0 = val[p]!;
    const c1 = val[p + 1]!;
    const c2 = val[p + 2]!;
    const c3 = val[p + 3]!;
    const a0 = col[p]! * k;
    const a1 = col[p + 1]! * k;
    const a2 = col[p + 2]! * k;
    const a3 = col[p + 3]! * k;
    let r = 0;
    for (; r < k4; r += 4) {
      out[at + r]! += c0 * V[a0 + r]! + c1 * V[a1 + r]! + c2 * V[a2 + r]! + c3 * V[a3 + r]!;
      out[at + r + 1]! += c0 * V[a0 + r + 1]! + c1 * V[a1 + r + 1]! + c2 * V[a2 + r + 1]! + c3 * V[a3 + r + 1]!;
      out[at + r + 2]! += c0 * V[a0 + r + 2]! + c1 * V[a1 + r + 2]! + c2 * V[a2 + r + 2]! + c3 * V[a3 + r + 2]!;
      out[at + r + 3]! += c0 * V[a0 + r + 3]! + c1 * V[a1 + r + 3]! + c2 * V[a2 + r + 3]! + c3 * V[a3 + r + 3]!;
    }
    for (; r < k; r++) out[at + r]! += c0 * V[a0 + r]! + c1 * V[a1 + r]! + c2 * V[a2 + r]! + c3 * V[a3 + r]!;
  }
  for (; p < end; p++) {
    const c = val[p]!;
    const a = col[p]! * k;
    for (let r = 0; r < k; r++) out[at + r]! += c * V[a + r]!;
  }
}

/** out = sum_{j != i} C_ij v_j */
export function rowField(C: SymCsr, V: Float64Array, k: number, i: number, out: Float64Array): void {
  out.fill(0);
  addRowField(C, V, k, i, out);
}

/**
 * The first-order multipliers y_i = (C V V')_ii = C_ii + v_i . sum_{j != i} C_ij v_j, written into
 * y; their sum is the objective <C, V V'>, which is returned.
 */
export function multipliers(C: SymCsr, V: Float64Array, k: number, y: Float64Array): number {
  const g = new Float64Array(k);
  let total = 0;
  for (let i = 0; i < C.n; i++) {
    rowField(C, V, k, i, g);
    let dot = 0;
    const base = i * k;
    for (let r = 0; r < k; r++) dot += g[r]! * V[base + r]!;
    y[i] = C.diag[i]! + dot;
    total += y[i]!;
  }
  return total;
}
