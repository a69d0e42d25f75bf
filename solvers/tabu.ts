/**
 * Tabu search for ±1 quadratic forms w'Qw + 2b'w + c (BQP, least squares, MaxCut files) in the
 * form of breakout local search (Benlic & Hao 2013, "Breakout local search for the max-cut
 * problem", Eng. Appl. of AI 26): descents to local optima alternate with perturbations whose
 * kind (tabu-directed, recency-based, random) and length adapt to how the search is doing.
 * Used by `bb` for its first incumbent, by the solver `tabu` with `method=bls`, and as the
 * improver of the memetic search (tabu/memetic.ts) on forms whose deltas are not on an integer
 * lattice; on lattice forms the memetic search uses the faster tabu/integer-tabu.ts.
 */
import type { QuadraticForm } from '../src/core/problem.js';
import { defineSolver } from '../src/core/solver.js';
import type { Signs } from '../src/core/signs.js';
import { Rng } from '../src/numerics/rng.js';
import { finishResult } from './common/finish.js';
import { needsQuadratic } from './common/requirements.js';
import { deltaLattice, sparseRows } from './tabu/sparse-form.js';
import { IntegerTabu } from './tabu/integer-tabu.js';
import { memeticSearch, type Improver } from './tabu/memetic.js';

export interface TabuOptions {
  /** moves (flips) */
  iters: number;
  rng: Rng;
  /** tabu tenure: a moved variable stays tabu for U{3..tenure} moves; 0 = auto (max(3, n/10)) */
  tenure?: number;
  /** local optima in a row without a new best before a strong random jump (BLS's T); 0 = 1000 */
  stall?: number;
  /** the first jump magnitude L0 (BLS: 0.01 n); 0 = auto */
  jump?: number;
  /** performance.now() after which the search stops */
  deadline?: number;
  /** stop as soon as the loss is at or below this */
  target?: number;
}

export interface TabuOutcome {
  w: Signs;
  /** the loss of w, recomputed from scratch */
  value: number;
  /** moves made */
  steps: number;
  /** the move at which the best point was found */
  bestStep: number;
  /** perturbations (one after every local optimum) */
  perturbations: number;
  /** of which strong random jumps after `stall` local optima without a new best */
  restarts: number;
}

/** Moves between recomputations of the deltas from scratch (floating-point drift). */
const RESYNC_EVERY = 1 << 14;

/** BLS's probabilities (Benlic & Hao 2013, max-cut settings): the least chance of a directed
 * (tabu) perturbation, and of a recency-based one among the others. */
const P0 = 0.8;
const Q_RECENCY = 0.5;

/** The settings BLS uses for max-cut, as functions of n: L0 = 0.01 n, Lmax = 0.1 n, tenure [3, n/10]. */
export function blsSettings(n: number): { jumpMin: number; jumpMax: number; tenureMax: number } {
  const jumpMin = Math.min(n, Math.max(2, Math.round(0.01 * n)));
  const jumpMax = Math.min(n, Math.max(2 * jumpMin, Math.floor(0.1 * n)));
  const tenureMax = Math.max(3, Math.min(Math.floor(n / 10), n - 1));
  return { jumpMin, jumpMax, tenureMax };
}

/** The moves by their deltas: the smallest delta, and the smallest one a predicate admits. */
interface MoveQueue {
  set(i: number, delta: number): void;
  /** the smallest delta (Infinity when empty) */
  minValue(): number;
  /** a variable with the smallest delta */
  minIndex(): number;
  /** a variable with the smallest delta among those `admit` accepts, -1 when none */
  bestWhere(admit: (i: number) => boolean): number;
}

/**
 * A tournament tree over n keys: the smallest key and its index in O(1), a key change in
 * O(log n). Keys are the deltas plus a tiny per-variable jitter, redrawn at each change, so that
 * ties go to a random variable.
 */
class TreeQueue implements MoveQueue {
  private readonly size: number;
  private readonly val: Float64Array;
  private readonly idx: Int32Array;
  constructor(n: number, private readonly jitterScale: number, private readonly rng: Rng) {
    let size = 1;
    while (size < n) size *= 2;
    this.size = size;
    this.val = new Float64Array(2 * size).fill(Infinity);
    this.idx = new Int32Array(2 * size).fill(-1);
    for (let i = 0; i < size; i++) this.idx[size + i] = i < n ? i : -1;
  }
  set(i: number, delta: number): void {
    this.setKey(i, delta + this.jitterScale * (this.rng.nextU32() / 4294967296));
  }
  private setKey(i: number, v: number): void {
    const { val, idx } = this;
    let p = this.size + i;
    val[p] = v;
    for (p >>= 1; p >= 1; p >>= 1) {
      const l = 2 * p;
      const c = val[l + 1]! < val[l]! ? l + 1 : l;
      if (val[p] === val[c] && idx[p] === idx[c]) break; // nothing above changes
      val[p] = val[c]!;
      idx[p] = idx[c]!;
    }
  }
  minValue(): number {
    return this.val[1]!;
  }
  minIndex(): number {
    return this.idx[1]!;
  }
  private readonly lifted: number[] = [];
  private readonly liftedKeys: number[] = [];
  bestWhere(admit: (i: number) => boolean): number {
    // keys that are not admitted are lifted out of the tree while looking, then put back
    let pick = -1;
    for (;;) {
      const i = this.idx[1]!;
      if (i < 0 || this.val[1] === Infinity) break;
      if (admit(i)) {
        pick = i;
        break;
      }
      this.lifted.push(i);
      this.liftedKeys.push(this.val[this.size + i]!);
      this.setKey(i, Infinity);
    }
    for (let k = 0; k < this.lifted.length; k++) this.setKey(this.lifted[k]!, this.liftedKeys[k]!);
    this.lifted.length = 0;
    this.liftedKeys.length = 0;
    return pick;
  }
}

/**
 * Buckets of variables by integer delta (in units of `unit`), each a doubly linked list: a key
 * change in O(1), the smallest key by a pointer that moves up past empty buckets. Used when all
 * deltas are small multiples of one unit (MaxCut graphs with integer weights, integer BQPs):
 * several times the moves per second of the tree. A variable enters its bucket at the front or
 * the back at random, so ties do not always go the same way.
 */
class BucketQueue implements MoveQueue {
  private readonly head: Int32Array;
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  private readonly bucket: Int32Array;
  private min: number;
  private bits = 0;
  private bitsLeft = 0;
  constructor(n: number, private readonly unit: number, private readonly range: number, private readonly rng: Rng) {
    this.head = new Int32Array(2 * range + 1).fill(-1);
    this.next = new Int32Array(n).fill(-1);
    this.prev = new Int32Array(n).fill(-1);
    this.bucket = new Int32Array(n).fill(-1);
    this.min = 2 * range + 1;
  }
  private coin(): boolean {
    if (this.bitsLeft === 0) {
      this.bits = this.rng.nextU32();
      this.bitsLeft = 32;
    }
    this.bitsLeft--;
    const b = this.bits & 1;
    this.bits >>>= 1;
    return b === 1;
  }
  set(i: number, delta: number): void {
    const { head, next, prev, bucket } = this;
    const k = Math.round(delta / this.unit) + this.range;
    const old = bucket[i]!;
    if (old === k) return;
    if (old >= 0) {
      const p = prev[i]!;
      const q = next[i]!;
      if (p >= 0) next[p] = q;
      else head[old] = q;
      if (q >= 0) prev[q] = p;
    }
    bucket[i] = k;
    const h = head[k]!;
    if (h < 0 || this.coin()) {
      prev[i] = -1;
      next[i] = h;
      if (h >= 0) prev[h] = i;
      head[k] = i;
    } else {
      // after the first element: O(1), and not always first
      const q = next[h]!;
      prev[i] = h;
      next[i] = q;
      next[h] = i;
      if (q >= 0) prev[q] = i;
    }
    if (k < this.min) this.min = k;
  }
  private settle(): void {
    const { head } = this;
    while (this.min < head.length && head[this.min]! < 0) this.min++;
  }
  minValue(): number {
    this.settle();
    return this.min < this.head.length ? (this.min - this.range) * this.unit : Infinity;
  }
  minIndex(): number {
    this.settle();
    return this.min < this.head.length ? this.head[this.min]! : -1;
  }
  bestWhere(admit: (i: number) => boolean): number {
    this.settle();
    const { head, next } = this;
    for (let k = this.min; k < head.length; k++) for (let i = head[k]!; i >= 0; i = next[i]!) if (admit(i)) return i;
    return -1;
  }
}

/**
 * Breakout local search (Benlic & Hao 2013) on w'Qw + 2b'w + c over ±1: steepest descent to a
 * local optimum (best improving flip each move), then a perturbation of L moves, and again. The
 * perturbation is directed with probability max(e^(-omega/T), P0) (L best non-tabu flips, even
 * worsening ones; a tabu flip is allowed when it beats the best loss), otherwise recency-based
 * (the L least recently moved variables) or random (L random flips), half and half. L starts at
 * L0, grows by one each time the descent falls back into the local optimum it left, and returns
 * to L0 otherwise; after T local optima without a new best (omega counts them) comes a random
 * jump of Lmax. A flip of w_i changes the loss by delta_i = 4 (Q_ii - w_i g_i), g = Qw + b; the
 * deltas are kept up to date (a flip touches one row of Q) and sit in a tournament tree.
 */
export function tabuSearch(form: QuadraticForm, start: Signs, options: TabuOptions): TabuOutcome {
  const { n, Q, b, c } = form;
  const rng = options.rng;
  const settings = blsSettings(n);
  const jumpMin = options.jump && options.jump > 0 ? Math.min(options.jump, n) : settings.jumpMin;
  const jumpMax = Math.max(jumpMin, settings.jumpMax);
  const tenureMax = options.tenure && options.tenure > 0 ? Math.max(1, Math.min(options.tenure, n - 1)) : settings.tenureMax;
  const tenureMin = Math.min(3, tenureMax);
  const T = options.stall && options.stall > 0 ? options.stall : 1000;
  const target = options.target ?? -Infinity;
  const iters = options.iters;
  const deadline = options.deadline ?? Infinity;

  const rows = sparseRows(form);
  const { ptr, col, val } = rows;
  const w = Int8Array.from(start);
  const delta = new Float64Array(n);
  let value = 0;
  let maxAbs = 0;
  for (let k = 0; k < val.length; k++) maxAbs = Math.max(maxAbs, Math.abs(val[k]!));
  for (let i = 0; i < n; i++) maxAbs = Math.max(maxAbs, Math.abs(b[i]!));
  // moves that change the loss by less than `still` count as no change (real data: rounding); the
  // jitter that breaks ties at random is far below it
  const still = 1e-9 * Math.max(maxAbs, 1e-300);
  const lattice = deltaLattice(form, rows);
  const queue: MoveQueue = lattice ? new BucketQueue(n, lattice.unit, lattice.range, rng.fork('ties')) : new TreeQueue(n, 1e-3 * still, rng.fork('ties'));
  const resync = () => {
    let v = c;
    for (let i = 0; i < n; i++) {
      let s = b[i]! + Q[i * n + i]! * w[i]!;
      for (let p = ptr[i]!, end = ptr[i + 1]!; p < end; p++) s += val[p]! * w[col[p]!]!;
      delta[i] = 4 * (Q[i * n + i]! - w[i]! * s);
      v += w[i]! * (s + b[i]!);
    }
    value = v;
    for (let i = 0; i < n; i++) queue.set(i, delta[i]!);
  };
  // Zobrist hash of w: tells a return to the same local optimum from another one of equal loss
  const zobrist = new Int32Array(n);
  for (let i = 0; i < n; i++) zobrist[i] = rng.nextU32() | 0;
  let hash = 0;
  for (let i = 0; i < n; i++) if (w[i]! > 0) hash ^= zobrist[i]!;
  // recency: a doubly linked list, the most recently moved first
  const next = new Int32Array(n);
  const prev = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    next[i] = i + 1 < n ? i + 1 : -1;
    prev[i] = i - 1;
  }
  let head = n > 0 ? 0 : -1;
  let tail = n - 1;
  const toFront = (i: number) => {
    if (head === i) return;
    const p = prev[i]!;
    const q = next[i]!;
    next[p] = q;
    if (q >= 0) prev[q] = p;
    else tail = p;
    prev[i] = -1;
    next[i] = head;
    prev[head] = i;
    head = i;
  };
  const tabuUntil = new Float64Array(n);
  let step = 0;
  const flip = (i: number) => {
    const wi = w[i]!;
    value += delta[i]!;
    delta[i] = -delta[i]!;
    w[i] = -wi as 1 | -1;
    hash ^= zobrist[i]!;
    queue.set(i, delta[i]!);
    for (let p = ptr[i]!, end = ptr[i + 1]!; p < end; p++) {
      const j = col[p]!;
      delta[j]! += 8 * wi * w[j]! * val[p]!;
      queue.set(j, delta[j]!);
    }
    tabuUntil[i] = step + tenureMin + rng.int(tenureMax - tenureMin + 1);
    toFront(i);
    step++;
    if ((step & (RESYNC_EVERY - 1)) === 0) resync();
  };
  resync();

  const best = Int8Array.from(w);
  let bestValue = value;
  let bestStep = 0;
  const better = () => value < bestValue - still;
  const keep = () => {
    bestValue = value;
    best.set(w);
    bestStep = step;
  };
  let stopped = n === 0;
  const budgetLeft = () => {
    if (stopped) return false;
    if (step >= iters || bestValue <= target || ((step & 255) === 0 && performance.now() > deadline)) stopped = true;
    return !stopped;
  };
  const descend = () => {
    while (queue.minValue() < -still && budgetLeft()) flip(queue.minIndex());
  };
  // the best non-tabu flip (a tabu one when it beats the best loss)
  const admissible = (i: number) => tabuUntil[i]! <= step || value + delta[i]! < bestValue - still;
  const directedMove = () => {
    const pick = queue.bestWhere(admissible);
    // every variable tabu (tenure near n): the least recently moved
    flip(pick >= 0 ? pick : tail);
  };

  let perturbations = 0;
  let restarts = 0;
  let jump = jumpMin;
  let omega = 0;
  let lastValue = NaN;
  let lastHash = 0;
  descend();
  if (better()) keep();
  while (budgetLeft()) {
    descend();
    if (stopped) break;
    if (better()) {
      keep();
      omega = 0;
    } else omega++;
    let L: number;
    let kind: 'directed' | 'recency' | 'random';
    if (omega > T) {
      // stuck: a strong random jump (from the current local optimum, as BLS does)
      L = jumpMax;
      kind = 'random';
      omega = 0;
      restarts++;
    } else {
      jump = Math.abs(value - lastValue) <= still && hash === lastHash ? Math.min(jump + 1, jumpMax) : jumpMin;
      L = jump;
      const directed = Math.max(Math.exp(-omega / T), P0);
      kind = rng.float() < directed ? 'directed' : rng.float() < Q_RECENCY ? 'recency' : 'random';
    }
    lastValue = value;
    lastHash = hash;
    perturbations++;
    if (kind === 'recency') {
      const picks: number[] = [];
      for (let i = tail, k = 0; k < L && i >= 0; k++, i = prev[i]!) picks.push(i);
      for (const i of picks) if (budgetLeft()) flip(i);
    } else {
      for (let k = 0; k < L && budgetLeft(); k++) {
        if (kind === 'directed') directedMove();
        else flip(rng.int(n));
        if (better()) keep();
      }
    }
  }
  if (better()) keep();
  let v = c;
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let j = 0; j < n; j++) s += Q[i * n + j]! * best[j]!;
    v += best[i]! * (s + b[i]!);
  }
  return { w: best, value: v, steps: step, bestStep, perturbations, restarts };
}

/**
 * Moves per tabu search of the memetic method when `depth` is 0: 125 n (100,000 on G14). On G14
 * and G22, 20 M flips, seeds 1-5 / 1-3, it beat 250 n: G14 >= 3061 with 5 of 5 seeds against 4
 * of 5, G22 13355-13358 against 13353-13357 (bench/RESULTS.md, "Issue 11 (third pass): tabu").
 */
export function defaultDepth(n: number): number {
  return Math.max(10_000, 125 * n);
}

export const tabuSolver = defineSolver({
  name: 'tabu',
  summary: 'memetic tabu search (a pool of tabu-searched points, crossover, a loss-and-distance pool update) or breakout local search on the quadratic form: a strong incumbent, no bound',
  params: [
    { name: 'method', type: 'string', default: 'memetic', choices: ['memetic', 'bls'], help: 'memetic: pool + crossover + tabu search (Wu & Hao 2012); bls: one breakout local search (Benlic & Hao 2013)' },
    { name: 'iters', type: 'int', default: 0, min: 0, help: 'moves (flips) in all; 0 = max(100000, 1000 n) for bls, max(100000, 10000 n) for memetic; --max-iter overrides, --max-time stops earlier' },
    { name: 'tenure', type: 'int', default: 0, min: 0, help: 'a moved variable is tabu for U{3..tenure} moves; 0 = max(3, n/10)' },
    { name: 'pool', type: 'int', default: 10, min: 2, max: 1000, help: 'memetic: pool size' },
    { name: 'depth', type: 'int', default: 0, min: 0, max: 1_000_000_000, help: 'memetic: the most moves of one tabu search (each pool member at the start, each child); 0 = max(10000, 125 n)' },
    { name: 'idle', type: 'int', default: 0, min: 0, max: 1_000_000_000, help: 'memetic, integer-delta forms: a tabu search also ends after this many moves without a new best of its own; 0 = only at depth' },
    { name: 'jump', type: 'int', default: 0, min: 0, help: 'bls: first perturbation length L0 (grows while the search falls back into the same local optimum, up to max(2 L0, n/10)); 0 = max(2, 0.01 n)' },
    { name: 'stall', type: 'int', default: 0, min: 0, help: 'bls: local optima in a row without a new best before a random jump of n/10 flips; 0 = 1000' },
  ],
  supports: (problem) => needsQuadratic(problem, 'tabu'),
  run(problem, options, p) {
    const start = performance.now();
    const form = problem.quadratic!;
    const n = form.n;
    const rng = new Rng(options.seed, 'tabu');
    const deadline = options.maxTimeMs !== undefined ? start + options.maxTimeMs : Infinity;
    const target = problem.knownOptimum ?? -Infinity;
    if (p.method === 'bls') {
      const w0 = new Int8Array(n);
      for (let i = 0; i < n; i++) w0[i] = rng.sign();
      const iters = options.maxIter ?? (p.iters > 0 ? p.iters : Math.max(100_000, 1000 * n));
      const out = tabuSearch(form, w0, { iters, rng: rng.fork('walk'), tenure: p.tenure, jump: p.jump, stall: p.stall, deadline, target });
      return finishResult(problem, 'tabu', options, out.w, {
        start,
        iterations: out.steps,
        info: { method: 'bls', bestStep: out.bestStep, perturbations: out.perturbations, restarts: out.restarts, tenure: p.tenure, jump: p.jump, stall: p.stall },
      });
    }
    const iters = options.maxIter ?? (p.iters > 0 ? p.iters : Math.max(100_000, 10_000 * n));
    const depth = p.depth > 0 ? p.depth : defaultDepth(n);
    const tenureMax = p.tenure > 0 ? Math.max(1, Math.min(p.tenure, n - 1)) : blsSettings(n).tenureMax;
    const tenureMin = Math.min(3, tenureMax);
    const rows = sparseRows(form);
    const lattice = deltaLattice(form, rows);
    let improve: Improver;
    if (lattice) {
      const engine = new IntegerTabu(form, rows, lattice, tenureMin, tenureMax, rng.fork('engine'));
      const idle = p.idle > 0 ? p.idle : Infinity;
      improve = (w, best, flips) => engine.run(w, best, { flips, deadline, target, idle });
    } else {
      // real-valued deltas: breakout local search (tournament tree) as the improver
      const walk = rng.fork('walk');
      improve = (w, best, flips) => {
        const r = tabuSearch(form, w, { iters: flips, rng: walk, tenure: p.tenure, deadline, target });
        best.set(r.w);
        return { value: r.value, steps: r.steps, bestStep: r.bestStep, stopped: r.steps < flips };
      };
    }
    let symmetric = true;
    for (let i = 0; i < n && symmetric; i++) if (form.b[i] !== 0) symmetric = false;
    const out = memeticSearch(n, improve, { pool: p.pool, depth, flips: iters, symmetric }, rng.fork('pool'));
    return finishResult(problem, 'tabu', options, out.w, {
      start,
      iterations: out.steps,
      info: {
        method: 'memetic',
        engine: lattice ? 'integer' : 'bls',
        bestStep: out.bestStep,
        generations: out.generations,
        accepted: out.accepted,
        pool: p.pool,
        depth,
        idle: p.idle,
        tenure: tenureMax,
      },
    });
  },
});
