/**
 * Tabu search for ±1 quadratic forms w'Qw + 2b'w + c (BQP, least squares, MaxCut files): at every
 * step flip the variable whose flip lowers the loss most (or raises it least), except variables
 * flipped in the last `tenure` steps, unless the flip would beat the best loss seen (aspiration).
 * With the field g = Qw + b a flip of w_i changes the loss by 4 (Q_ii - w_i g_i), and updating g
 * costs one row of Q, so a step is O(n). When the best loss has not improved for `stall` steps the
 * search restarts from the best point with a random jump of a few flips (more after each jump that
 * found nothing): the perturbation of
 * breakout local search (Benlic & Hao 2013), whose directed phase is the tabu walk itself.
 * Used alone as the solver `tabu`, and by `bb` for its incumbents.
 */
import type { QuadraticForm } from '../src/core/problem.js';
import { defineSolver } from '../src/core/solver.js';
import type { Signs } from '../src/core/signs.js';
import { Rng } from '../src/numerics/rng.js';
import { finishResult } from './common/finish.js';
import { needsQuadratic } from './common/requirements.js';

export interface TabuOptions {
  /** steps (flips) */
  iters: number;
  rng: Rng;
  /** tabu tenure: a flipped variable stays tabu for tenure + U{0..tenureSpread} steps; 0 = auto */
  tenure?: number;
  /** steps without a new best before a perturbation; 0 = auto */
  stall?: number;
  /** performance.now() after which the search stops */
  deadline?: number;
  /** stop as soon as the loss is at or below this */
  target?: number;
}

export interface TabuOutcome {
  w: Signs;
  /** the loss of w, recomputed from scratch */
  value: number;
  steps: number;
  /** the step at which the best point was found */
  bestStep: number;
  perturbations: number;
}

/** Steps between recomputations of the field from scratch (floating-point drift). */
const RESYNC_EVERY = 4096;

export function autoTenure(n: number): { base: number; spread: number } {
  // max(3, n/10) + U{0..n/20}, at most a quarter of the variables: on G1 and G14 (n = 800) a tenure
  // near 80-120 beat 20-40 in 4 s runs (bench/RESULTS.md, issue 11); BLS draws it from [3, n/10]
  const quarter = Math.max(1, Math.floor(n / 4));
  return { base: Math.min(Math.max(3, Math.floor(n / 10)), quarter), spread: Math.max(1, Math.min(Math.floor(n / 20), quarter)) };
}

interface SparseRows {
  ptr: Int32Array;
  col: Int32Array;
  val: Float64Array;
}

function sparseRows(form: QuadraticForm): SparseRows {
  const { n, Q } = form;
  const ptr = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    let count = 0;
    for (let j = 0; j < n; j++) if (j !== i && Q[i * n + j] !== 0) count++;
    ptr[i + 1] = ptr[i]! + count;
  }
  const col = new Int32Array(ptr[n]!);
  const val = new Float64Array(ptr[n]!);
  for (let i = 0, p = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (j !== i && Q[i * n + j] !== 0) {
        col[p] = j;
        val[p++] = Q[i * n + j]!;
      }
    }
  }
  return { ptr, col, val };
}

/**
 * A tournament tree over n keys: the smallest key and its index in O(1), a key change in
 * O(log n). On sparse forms (G-set: 6-48 neighbours of 800) the best move is then found without
 * a scan of all n deltas: a flip changes only the flipped variable's and its neighbours' keys.
 */
class MinTree {
  private readonly size: number;
  private readonly val: Float64Array;
  private readonly idx: Int32Array;
  constructor(n: number) {
    let size = 1;
    while (size < n) size *= 2;
    this.size = size;
    this.val = new Float64Array(2 * size).fill(Infinity);
    this.idx = new Int32Array(2 * size).fill(-1);
    for (let i = 0; i < n; i++) this.idx[size + i] = i;
  }
  set(i: number, v: number): void {
    const { val, idx } = this;
    let p = this.size + i;
    val[p] = v;
    for (p >>= 1; p >= 1; p >>= 1) {
      const l = 2 * p;
      const c = val[l + 1]! < val[l]! ? l + 1 : l;
      val[p] = val[c]!;
      idx[p] = idx[c]!;
    }
  }
  get minValue(): number {
    return this.val[1]!;
  }
  get minIndex(): number {
    return this.val[1]! < Infinity ? this.idx[1]! : -1;
  }
}

export function tabuSearch(form: QuadraticForm, start: Signs, options: TabuOptions): TabuOutcome {
  const { n, Q, b, c } = form;
  const rng = options.rng;
  const auto = autoTenure(n);
  const base = options.tenure && options.tenure > 0 ? Math.min(options.tenure, Math.max(1, n - 1)) : auto.base;
  const spread = options.tenure && options.tenure > 0 ? 0 : auto.spread;
  const stall = options.stall && options.stall > 0 ? options.stall : Math.max(1000, 20 * n);
  // the jump grows by one with every perturbation that finds no new best (BLS's adaptive jump
  // magnitude), from n/20 up to n/2, and falls back when one does
  const jumpMin = Math.max(2, Math.floor(n / 20));
  let jump = jumpMin;
  const diag = new Float64Array(n);
  for (let i = 0; i < n; i++) diag[i] = Q[i * n + i]!;
  const w = Int8Array.from(start);
  const g = new Float64Array(n);
  let value = 0;
  const resync = () => {
    let v = c;
    for (let i = 0; i < n; i++) {
      let s = b[i]!;
      const row = i * n;
      for (let j = 0; j < n; j++) s += Q[row + j]! * w[j]!;
      g[i] = s;
      v += w[i]! * (s + b[i]!);
    }
    value = v;
  };
  // the off-diagonal nonzeros row by row: a flip updates only the neighbours' fields (G1: 48 of 800)
  const rows = sparseRows(form);
  const flip = (i: number) => {
    const wi = w[i]!;
    value += 4 * (diag[i]! - wi * g[i]!);
    const s = -2 * wi;
    for (let p = rows.ptr[i]!, end = rows.ptr[i + 1]!; p < end; p++) g[rows.col[p]!]! += s * rows.val[p]!;
    g[i]! += s * diag[i]!;
    w[i] = -wi as 1 | -1;
  };
  resync();
  const best = Int8Array.from(w);
  let bestValue = value;
  let bestStep = 0;
  let lastImprovement = 0;
  let perturbations = 0;
  const tabuUntil = new Float64Array(n);
  const scale = () => 1e-12 * Math.max(1, Math.abs(bestValue));
  const target = options.target ?? -Infinity;
  let step = 0;
  // sparse forms: the best free move and the best tabu move from two tournament trees, keyed by
  // delta plus a tiny per-variable jitter (redrawn at each flip) that breaks ties at random
  // (measured on G14, degree 12: twice the flips per second of the scan; on G1, degree 48: slower)
  const sparse = n >= 64 && rows.ptr[n]! <= (n * n) / 64;
  const freeTree = sparse ? new MinTree(n) : undefined;
  const tabuTree = sparse ? new MinTree(n) : undefined;
  let maxAbs = 0;
  for (let k = 0; k < rows.val.length; k++) maxAbs = Math.max(maxAbs, Math.abs(rows.val[k]!));
  const jitterScale = 1e-9 * Math.max(maxAbs, 1e-300);
  const jitter = new Float64Array(n);
  const ringSize = base + spread + 2;
  const ring: number[][] = sparse ? Array.from({ length: ringSize }, () => []) : [];
  const refresh = (i: number) => {
    const key = 4 * (diag[i]! - w[i]! * g[i]!) + jitter[i]!;
    const tabu = tabuUntil[i]! > step;
    freeTree!.set(i, tabu ? Infinity : key);
    tabuTree!.set(i, tabu ? key : Infinity);
  };
  const rebuild = () => {
    if (!sparse) return;
    for (let i = 0; i < n; i++) {
      jitter[i] = jitterScale * rng.float();
      refresh(i);
    }
  };
  rebuild();
  for (; step < options.iters && n > 0 && bestValue > target; step++) {
    if ((step & 255) === 0 && options.deadline !== undefined && performance.now() > options.deadline) break;
    if (step - lastImprovement > stall) {
      // breakout: back to the best point, then a random jump
      w.set(best);
      resync();
      for (let k = 0; k < jump; k++) flip(rng.int(n));
      jump = Math.min(jump + 1, Math.max(jumpMin, Math.floor(n / 2)));
      tabuUntil.fill(0);
      for (const bucket of ring) bucket.length = 0;
      rebuild();
      lastImprovement = step;
      perturbations++;
    }
    const aspire = bestValue - value - scale();
    let pick = -1;
    if (sparse) {
      // variables whose tenure ends now become free again
      const bucket = ring[step % ringSize]!;
      for (const i of bucket) if (tabuUntil[i] === step) refresh(i);
      bucket.length = 0;
      pick = freeTree!.minIndex;
      const t = tabuTree!.minIndex;
      if (t >= 0 && 4 * (diag[t]! - w[t]! * g[t]!) < aspire && (pick < 0 || tabuTree!.minValue < freeTree!.minValue)) pick = t;
    } else {
      let pickDelta = Infinity;
      // ties (common with integer weights) go to the first in a scan from a random offset: one
      // draw per step instead of one per tie
      const offset = rng.int(n);
      for (let k = 0, i = offset; k < n; k++, i = i + 1 === n ? 0 : i + 1) {
        const d = 4 * (diag[i]! - w[i]! * g[i]!);
        if (d < pickDelta && (tabuUntil[i]! <= step || d < aspire)) {
          pickDelta = d;
          pick = i;
        }
      }
    }
    if (pick < 0) {
      // every variable tabu and none aspirates (tenure close to n): free the oldest
      let oldest = 0;
      for (let i = 1; i < n; i++) if (tabuUntil[i]! < tabuUntil[oldest]!) oldest = i;
      pick = oldest;
    }
    flip(pick);
    tabuUntil[pick] = step + 1 + base + (spread > 0 ? rng.int(spread + 1) : 0);
    if (((step + 1) & (RESYNC_EVERY - 1)) === 0) {
      resync();
      if (sparse) for (let i = 0; i < n; i++) refresh(i);
    }
    if (sparse) {
      ring[tabuUntil[pick]! % ringSize]!.push(pick);
      jitter[pick] = jitterScale * rng.float();
      // keys of the flipped variable and its neighbours changed; the tabu test uses step + 1,
      // the step the keys are next read at
      step++;
      refresh(pick);
      for (let p = rows.ptr[pick]!, end = rows.ptr[pick + 1]!; p < end; p++) refresh(rows.col[p]!);
      step--;
    }
    // the incremental value drifts by a few ulps between resyncs; the returned value is recomputed
    if (value < bestValue - scale()) {
      bestValue = value;
      best.set(w);
      bestStep = step + 1;
      lastImprovement = step + 1;
      jump = jumpMin;
    }
  }
  w.set(best);
  resync();
  return { w: best, value, steps: step, bestStep, perturbations };
}

export const tabuSolver = defineSolver({
  name: 'tabu',
  summary: 'tabu search on the quadratic form with aspiration and breakout perturbations (a strong incumbent, no bound)',
  params: [
    { name: 'iters', type: 'int', default: 0, min: 0, help: 'flips; 0 = max(100000, 1000 n); --max-iter overrides, --max-time stops earlier' },
    { name: 'tenure', type: 'int', default: 0, min: 0, help: 'tabu tenure in flips; 0 = max(3, n/10) + U{0..n/20} (at most n/4)' },
    { name: 'stall', type: 'int', default: 0, min: 0, help: 'flips without a new best before a random jump from the best point; 0 = max(1000, 20 n)' },
  ],
  supports: (problem) => needsQuadratic(problem, 'tabu'),
  run(problem, options, p) {
    const start = performance.now();
    const form = problem.quadratic!;
    const n = form.n;
    const rng = new Rng(options.seed, 'tabu');
    const w0 = new Int8Array(n);
    for (let i = 0; i < n; i++) w0[i] = rng.sign();
    const iters = options.maxIter ?? (p.iters > 0 ? p.iters : Math.max(100_000, 1000 * n));
    const out = tabuSearch(form, w0, {
      iters,
      rng: rng.fork('walk'),
      tenure: p.tenure,
      stall: p.stall,
      ...(options.maxTimeMs !== undefined ? { deadline: start + options.maxTimeMs } : {}),
      ...(problem.knownOptimum !== undefined ? { target: problem.knownOptimum } : {}),
    });
    return finishResult(problem, 'tabu', options, out.w, {
      start,
      iterations: out.steps,
      info: { bestStep: out.bestStep, perturbations: out.perturbations, tenure: p.tenure, stall: p.stall },
    });
  },
});
