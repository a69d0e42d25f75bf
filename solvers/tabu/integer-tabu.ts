/**
 * Tabu search on a ±1 quadratic form whose flip deltas all lie on an integer lattice (MaxCut
 * graphs with integer weights, integer BQPs; see sparse-form.ts): every move flips the variable
 * with the smallest delta among those that are not tabu, worsening moves included, and a tabu
 * one when it beats the best loss of the run (aspiration). A flipped variable stays tabu for a
 * tenure drawn uniformly from [tenureMin, tenureMax] moves. This is the improvement step of the
 * memetic search (memetic.ts), as in Wu & Hao's memetic max-cut algorithm (2012) and the
 * tabu-directed moves of breakout local search (Benlic & Hao 2013).
 *
 * Why a separate engine from breakout local search's (../tabu.ts): with integer deltas as the
 * bucket keys in an Int32Array, no closures and no RNG calls in the inner loop (an inline
 * xorshift) and no floating-point resync, a move costs about half of a BLS move on G14
 * (bench/RESULTS.md, "Issue 11 (third pass): tabu").
 */
import type { QuadraticForm } from '../../src/core/problem.js';
import type { Rng } from '../../src/numerics/rng.js';
import type { DeltaLattice, SparseRows } from './sparse-form.js';

export interface TabuRunLimits {
  /** moves of this run */
  flips: number;
  /** performance.now() after which the run stops (checked every 1024 moves) */
  deadline: number;
  /** the run stops once its best loss is at or below this */
  target: number;
  /** the run stops after this many moves in a row without a new best of the run (default: never) */
  idle?: number;
}

export interface TabuRunOutcome {
  /** the loss of the best point of the run (exact: lattice arithmetic) */
  value: number;
  /** moves made */
  steps: number;
  /** the move of the run at which its best point was found */
  bestStep: number;
  /** whether the run ended on the deadline or the target rather than its flips */
  stopped: boolean;
}

export class IntegerTabu {
  readonly n: number;
  private readonly ptr: Int32Array;
  private readonly col: Int32Array;
  /** 8 Q_ij / unit: the change of delta_j, in units, when w_i flips (times w_i w_j) */
  private readonly kval: Int32Array;
  /** 4 b_i / unit */
  private readonly kb: Float64Array;
  private readonly range: number;
  private readonly unit: number;
  private readonly form: QuadraticForm;
  /** buckets by key_i = delta_i / unit + range: doubly linked lists */
  private readonly head: Int32Array;
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  private readonly key: Int32Array;
  private readonly tabuUntil: Int32Array;
  private seed: number;

  constructor(
    form: QuadraticForm,
    rows: SparseRows,
    lattice: DeltaLattice,
    private readonly tenureMin: number,
    private readonly tenureMax: number,
    rng: Rng,
  ) {
    const n = form.n;
    this.n = n;
    this.form = form;
    this.ptr = rows.ptr;
    this.col = rows.col;
    this.unit = lattice.unit;
    this.range = lattice.range;
    this.kval = new Int32Array(rows.val.length);
    for (let p = 0; p < rows.val.length; p++) this.kval[p] = Math.round((8 * rows.val[p]!) / lattice.unit);
    this.kb = new Float64Array(n);
    for (let i = 0; i < n; i++) this.kb[i] = Math.round((4 * form.b[i]!) / lattice.unit);
    this.head = new Int32Array(2 * lattice.range + 1);
    this.next = new Int32Array(n);
    this.prev = new Int32Array(n);
    this.key = new Int32Array(n);
    this.tabuUntil = new Int32Array(n);
    // xorshift32 state for ties and tenures (the inner loop cannot afford a call per draw)
    this.seed = rng.nextU32() | 1;
  }

  /** The loss of w from scratch (exact on the lattice: sums of multiples of 2^-p). */
  loss(w: Int8Array): number {
    const { n, Q, b, c } = this.form;
    const { ptr, col } = this;
    let v = c;
    for (let i = 0; i < n; i++) {
      let s = b[i]! + Q[i * n + i]! * w[i]!;
      for (let p = ptr[i]!, end = ptr[i + 1]!; p < end; p++) s += Q[i * n + col[p]!]! * w[col[p]!]!;
      v += w[i]! * (s + b[i]!);
    }
    return v;
  }

  /**
   * Tabu search from w (left at the run's last point) for `limits.flips` moves; the best point
   * goes to `best`. Tabu marks start afresh.
   */
  run(w: Int8Array, best: Int8Array, limits: TabuRunLimits): TabuRunOutcome {
    const { n, ptr, col, kval, kb, head, next, prev, key, tabuUntil } = this;
    const range = this.range;
    const buckets = head.length;
    // keys from scratch: delta_i / unit = -w_i (4 b_i + sum_j 4 Q_ij w_j) / unit  (kval holds 8 Q_ij / unit)
    head.fill(-1);
    for (let i = 0; i < n; i++) {
      let s = kb[i]!;
      for (let p = ptr[i]!, end = ptr[i + 1]!; p < end; p++) s += (kval[p]! >> 1) * w[col[p]!]!;
      key[i] = range - w[i]! * s;
      tabuUntil[i] = 0;
    }
    let top = buckets;
    for (let i = n - 1; i >= 0; i--) {
      const b = key[i]!;
      const h = head[b]!;
      prev[i] = -1;
      next[i] = h;
      if (h >= 0) prev[h] = i;
      head[b] = i;
      if (b < top) top = b;
    }
    const start = this.loss(w);
    // losses below in units, relative to the start: exact integers
    let cur = 0;
    let bestK = 0;
    best.set(w);
    const targetK = (limits.target - start) / this.unit;
    const flips = limits.flips;
    const deadline = limits.deadline;
    const idle = limits.idle ?? Infinity;
    const tMin = this.tenureMin;
    const tSpan = this.tenureMax - this.tenureMin + 1;
    let x = this.seed;
    let coins = 0;
    let coinsLeft = 0;
    let stopped = bestK <= targetK;
    let step = 0;
    let bestStep = 0;
    while (!stopped && step < flips) {
      step++;
      while (top < buckets && head[top]! < 0) top++;
      // the best admissible move: scan up from the smallest delta
      let i = -1;
      for (let b = top; b < buckets && i < 0; b++) {
        for (let v = head[b]!; v >= 0; v = next[v]!) {
          if (tabuUntil[v]! < step || cur + b - range < bestK) {
            i = v;
            break;
          }
        }
      }
      // every variable tabu (a tenure near n): the smallest delta
      if (i < 0) i = top < buckets ? head[top]! : -1;
      if (i < 0) break; // n = 0
      const wi = w[i]!;
      const b0 = key[i]!;
      cur += b0 - range;
      w[i] = -wi;
      // i and every neighbour change buckets; i's delta changes sign
      {
        const b = b0;
        const p = prev[i]!;
        const q = next[i]!;
        if (p >= 0) next[p] = q;
        else head[b] = q;
        if (q >= 0) prev[q] = p;
        const b2 = 2 * range - b0;
        key[i] = b2;
        const h = head[b2]!;
        prev[i] = -1;
        next[i] = h;
        if (h >= 0) prev[h] = i;
        head[b2] = i;
        if (b2 < top) top = b2;
      }
      for (let p = ptr[i]!, end = ptr[i + 1]!; p < end; p++) {
        const j = col[p]!;
        const d = wi * w[j]! * kval[p]!;
        const b = key[j]!;
        const pj = prev[j]!;
        const qj = next[j]!;
        if (pj >= 0) next[pj] = qj;
        else head[b] = qj;
        if (qj >= 0) prev[qj] = pj;
        const b2 = b + d;
        key[j] = b2;
        if (coinsLeft === 0) {
          x ^= x << 13;
          x ^= x >>> 17;
          x ^= x << 5;
          coins = x;
          coinsLeft = 32;
        }
        coinsLeft--;
        const h = head[b2]!;
        // enter the bucket first or second at random, so that ties do not always go one way
        if (h < 0 || (coins & 1) === 1) {
          prev[j] = -1;
          next[j] = h;
          if (h >= 0) prev[h] = j;
          head[b2] = j;
        } else {
          const q = next[h]!;
          prev[j] = h;
          next[j] = q;
          next[h] = j;
          if (q >= 0) prev[q] = j;
        }
        coins >>>= 1;
        if (b2 < top) top = b2;
      }
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      tabuUntil[i] = step + tMin + ((x >>> 0) % tSpan);
      if (cur < bestK) {
        bestK = cur;
        bestStep = step;
        best.set(w);
        if (bestK <= targetK) stopped = true;
      }
      if ((step & 1023) === 0 && performance.now() > deadline) stopped = true;
      if (step - bestStep > idle) break;
    }
    this.seed = x;
    return { value: start + bestK * this.unit, steps: step, bestStep, stopped };
  }
}
