/**
 * A memetic search over ±1 points in the manner of Wu & Hao's memetic max-cut algorithm (2012):
 * a small pool of points, each improved by a tabu search; each generation crosses two pool
 * members at random (the variables they agree on are kept, the others drawn at random), improves
 * the child, and lets it into the pool by a score that weighs its loss against its distance to
 * the others, so that the pool does not collapse onto one basin (without the distance term it
 * did: on G14 every member ended at the same cut, bench/RESULTS.md "Issue 11 (third pass)").
 *
 * ±w is the same point for a form without a linear term (a MaxCut graph): distances and the
 * crossover then compare w with the nearer of ±w'. The improver is any tabu search (integer-tabu.ts
 * on lattice forms, breakout local search otherwise).
 */
import type { Rng } from '../../src/numerics/rng.js';

export interface Improvement {
  /** the loss of the best point found (written to `best`) */
  value: number;
  steps: number;
  /** the move of this search at which its best point was found */
  bestStep: number;
  /** the deadline or the target ended it */
  stopped: boolean;
}

/** Improve from `w` (which it may overwrite) for at most `flips` moves; the best point into `best`. */
export type Improver = (w: Int8Array, best: Int8Array, flips: number) => Improvement;

export interface MemeticOptions {
  /** pool size (>= 2) */
  pool: number;
  /** moves per tabu search (one per pool member at the start, one per child) */
  depth: number;
  /** total moves over all searches */
  flips: number;
  /** ±w are the same point (no linear term) */
  symmetric: boolean;
  /** weight of the loss against the distance in the pool score (Wu & Hao: 0.6) */
  beta?: number;
}

export interface MemeticOutcome {
  w: Int8Array;
  value: number;
  steps: number;
  /** the move (over all searches) at which the best point was found */
  bestStep: number;
  /** children made */
  generations: number;
  /** children let into the pool */
  accepted: number;
  /** the losses of the final pool, best first */
  poolValues: number[];
}

/** Variables where a and b differ (for a symmetric form, the smaller count of a against ±b). */
export function distance(a: Int8Array, b: Int8Array, symmetric: boolean): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) d++;
  return symmetric ? Math.min(d, a.length - d) : d;
}

/**
 * The child of a and b: where they agree (after negating b when it is nearer to -a, for a
 * symmetric form), their common value; elsewhere a fair coin.
 */
export function crossover(a: Int8Array, b: Int8Array, symmetric: boolean, rng: Rng, child: Int8Array): void {
  const n = a.length;
  let agree = 0;
  for (let i = 0; i < n; i++) if (a[i] === b[i]) agree++;
  const s = symmetric && 2 * agree < n ? -1 : 1;
  let bits = 0;
  for (let i = 0; i < n; i++) {
    if ((i & 31) === 0) bits = rng.nextU32();
    const bi = s * b[i]!;
    child[i] = a[i] === bi ? a[i]! : (bits >>> (i & 31)) & 1 ? 1 : -1;
  }
}

/**
 * The member to drop from pool ∪ {child} (index `pool.length` is the child): the lowest score
 * beta Ã(-loss) + (1 - beta) Ã(min distance to the others), Ã a rescaling to [0, 1] over the
 * candidates (Wu & Hao 2012's pool update). A child that duplicates a member is dropped.
 */
export function dropFromPool(values: readonly number[], points: readonly Int8Array[], symmetric: boolean, beta: number): number {
  const m = points.length;
  const child = m - 1;
  const minDist = new Array<number>(m).fill(Infinity);
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++) {
      const d = distance(points[i]!, points[j]!, symmetric);
      if (d === 0 && (i === child || j === child)) return child;
      if (d < minDist[i]!) minDist[i] = d;
      if (d < minDist[j]!) minDist[j] = d;
    }
  }
  const vMin = Math.min(...values);
  const vMax = Math.max(...values);
  const dMin = Math.min(...minDist);
  const dMax = Math.max(...minDist);
  let drop = child;
  let lowest = Infinity;
  for (let i = 0; i < m; i++) {
    const quality = (vMax - values[i]!) / (vMax - vMin + 1e-12);
    const spread = (minDist[i]! - dMin) / (dMax - dMin + 1e-12);
    const score = beta * quality + (1 - beta) * spread;
    // ties: drop the child, so that the pool changes only for a better one
    if (score < lowest || (score === lowest && i === child)) {
      lowest = score;
      drop = i;
    }
  }
  return drop;
}

export function memeticSearch(n: number, improve: Improver, options: MemeticOptions, rng: Rng): MemeticOutcome {
  const beta = options.beta ?? 0.6;
  const symmetric = options.symmetric;
  const points: Int8Array[] = [];
  const values: number[] = [];
  const best = new Int8Array(n);
  let bestValue = Infinity;
  let bestStep = 0;
  let steps = 0;
  let stopped = false;
  const work = new Int8Array(n);
  const run = (start: Int8Array, out: Int8Array) => {
    work.set(start);
    const r = improve(work, out, Math.min(options.depth, options.flips - steps));
    if (r.value < bestValue) {
      bestValue = r.value;
      best.set(out);
      bestStep = steps + r.bestStep;
    }
    steps += r.steps;
    stopped = r.stopped || steps >= options.flips;
    return r.value;
  };
  const start = new Int8Array(n);
  for (let p = 0; p < options.pool && !stopped; p++) {
    for (let i = 0; i < n; i++) start[i] = rng.sign();
    const out = new Int8Array(n);
    values.push(run(start, out));
    points.push(out);
  }
  let generations = 0;
  let accepted = 0;
  const child = new Int8Array(n);
  let spare: Int8Array = new Int8Array(n);
  while (!stopped && points.length >= 2) {
    const a = rng.int(points.length);
    let b = rng.int(points.length - 1);
    if (b >= a) b++;
    crossover(points[a]!, points[b]!, symmetric, rng, child);
    const v = run(child, spare);
    generations++;
    const drop = dropFromPool([...values, v], [...points, spare], symmetric, beta);
    if (drop < points.length) {
      const freed = points[drop]!;
      points[drop] = spare;
      values[drop] = v;
      spare = freed;
      accepted++;
    }
  }
  return { w: best, value: bestValue, steps, bestStep, generations, accepted, poolValues: [...values].sort((x, y) => x - y) };
}
