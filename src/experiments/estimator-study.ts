/**
 * The gradient-estimator accuracy study: for each estimator and each sample count M, the error of
 * its estimate of the gradient of the expected loss against the exact gradient, per parameter
 * block (layer): relative error |g_hat - g| / |g| and cosine similarity cos(g_hat, g), over
 * independent repetitions, summarised as relative RMSE sqrt(mean |g_hat - g|^2 / |g|^2) and
 * 15/50/85 percentiles.
 *
 * Two groupings of single-sample draws into M-sample estimates:
 * - nested (the default): one repetition draws single-sample estimates one after another and reads
 *   the running mean at each M in the list, so estimates at different M within a repetition are
 *   nested while repetitions are independent. To fit a time budget, a repetition stops at the
 *   largest M that still needs it: M gets reps(M) = clamp(budget / M, minReps, maxReps) repetitions.
 * - disjoint (the PSA authors' gradeval protocol): one stream of `draws` single-sample estimates;
 *   for each M, the floor(draws / M) disjoint blocks of M consecutive draws are the M-sample
 *   estimates (so every M is summarised over its own groups, e.g. 20,000 groups at M = 1 and 2 at
 *   M = 10^4 for 20,000 draws).
 * Deterministic estimators are evaluated once. Errors are measured after `transform` (a linear map
 * of gradients, e.g. into the {0,1} coding of the units), applied to the estimate and the exact
 * gradient alike.
 */
import type { StochasticChain } from '../core/stochastic-chain.js';
import { Rng } from '../numerics/rng.js';
import type { GradientEstimator } from '../../solvers/estimators/index.js';

export const GROUPINGS = ['nested', 'disjoint'] as const;
export type Grouping = (typeof GROUPINGS)[number];

export interface StudyOptions {
  samples: readonly number[];
  seed: number;
  grouping?: Grouping;
  /** nested: single-sample draws per estimator and repetition budget: reps(M) = clamp(budget / M, minReps, maxReps). */
  budget: number;
  minReps: number;
  maxReps: number;
  /** disjoint: single-sample draws per estimator (at least the largest M). */
  draws?: number;
  /** Linear map applied to gradients before they are compared (`out` may be `g`). */
  transform?: (g: Float64Array, out: Float64Array) => void;
  onProgress?: (estimator: string, rep: number, reps: number) => void;
}

export interface StudyRecord {
  estimator: string;
  layer: string;
  samples: number;
  reps: number;
  relRmse: number;
  relErrP15: number;
  relErrP85: number;
  cosine: number;
  cosineMedian: number;
  cosineP15: number;
  cosineP85: number;
}

export function repsFor(M: number, o: Pick<StudyOptions, 'budget' | 'minReps' | 'maxReps'>): number {
  return Math.max(o.minReps, Math.min(o.maxReps, Math.floor(o.budget / M)));
}

/** Linear-interpolated percentile (q in [0, 1]) of unsorted values. */
export function percentile(values: readonly number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const pos = q * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(s.length - 1, lo + 1);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

/**
 * Errors of the M-sample estimates, per block and M index, in the order they were drawn
 * (repetitions, or disjoint groups): what the records summarise.
 */
export interface StudyErrors {
  relErr: number[][][];
  cos: number[][][];
}

/**
 * A share of one estimator's study that can run on its own: the nested repetitions
 * [fromRep, toRep) (each has its own session and random stream), or (fromRep = 0, toRep = 1) the
 * whole study for the disjoint grouping and deterministic estimators.
 */
export interface StudyPart {
  fromRep: number;
  toRep: number;
}

/** The number of single-sample draws of each nested repetition (0 past the last). */
function nestedDraws(Ms: readonly number[], o: Pick<StudyOptions, 'budget' | 'minReps' | 'maxReps'>): number[] {
  const reps = Ms.map((M) => repsFor(M, o));
  const maxReps = Math.max(...reps);
  return Array.from({ length: maxReps }, (_, r) => {
    let last = -1;
    for (let mi = 0; mi < Ms.length; mi++) if (reps[mi]! > r) last = mi;
    return last < 0 ? 0 : Ms[last]!;
  });
}

/**
 * The study of `estimator` cut into parts of about `1/pieces` of its draws each (consecutive nested
 * repetitions; the whole study where it is one stream), with the draws of each part: merged in
 * order (mergeStudyErrors), the parts' errors are those of the whole study.
 */
export function studyParts(estimator: Pick<GradientEstimator, 'stochastic'>, o: Omit<StudyOptions, 'seed'>, pieces: number): { part: StudyPart; draws: number }[] {
  if (!estimator.stochastic) return [{ part: { fromRep: 0, toRep: 1 }, draws: 1 }];
  if (o.grouping === 'disjoint') return [{ part: { fromRep: 0, toRep: 1 }, draws: o.draws ?? 0 }];
  const per = nestedDraws([...o.samples].sort((a, b) => a - b), o);
  const total = per.reduce((s, d) => s + d, 0);
  const target = Math.max(1, Math.ceil(total / Math.max(1, pieces)));
  const parts: { part: StudyPart; draws: number }[] = [];
  let from = 0;
  let draws = 0;
  for (let r = 0; r < per.length; r++) {
    draws += per[r]!;
    if (draws >= target || r === per.length - 1) {
      parts.push({ part: { fromRep: from, toRep: r + 1 }, draws });
      from = r + 1;
      draws = 0;
    }
  }
  return parts;
}

/** The errors of consecutive parts as those of one study (lists concatenated in order). */
export function mergeStudyErrors(parts: readonly StudyErrors[]): StudyErrors {
  const first = parts[0]!;
  const join = (pick: (e: StudyErrors) => number[][][]) => pick(first).map((byM, bi) => byM.map((_, mi) => parts.flatMap((e) => pick(e)[bi]![mi]!)));
  return { relErr: join((e) => e.relErr), cos: join((e) => e.cos) };
}

export function studyEstimator(chain: StochasticChain, estimator: GradientEstimator, exactGradient: Float64Array, o: StudyOptions): StudyRecord[] {
  return summarizeStudy(estimator.name, chain.blocks, o.samples, studyErrors(chain, estimator, exactGradient, o));
}

/** The draws of one part of a study (default: all of it) and their errors. */
export function studyErrors(chain: StochasticChain, estimator: GradientEstimator, exactGradient: Float64Array, o: StudyOptions, part?: StudyPart): StudyErrors {
  const Ms = [...o.samples].sort((a, b) => a - b);
  const blocks = chain.blocks;
  const P = chain.paramCount;
  const exact = Float64Array.from(exactGradient);
  o.transform?.(exact, exact);
  const mean = new Float64Array(P);
  const exactNorm2 = blocks.map((b) => {
    let s = 0;
    for (let i = b.offset; i < b.offset + b.size; i++) s += exact[i]! * exact[i]!;
    return s;
  });
  // errors[blockIndex][mIndex] = list over repetitions
  const relErr = blocks.map(() => Ms.map(() => [] as number[]));
  const cos = blocks.map(() => Ms.map(() => [] as number[]));
  /** Records the estimate sum / k at M index mi. */
  const record = (sum: Float64Array, k: number, mi: number) => {
    for (let i = 0; i < P; i++) mean[i] = sum[i]! / k;
    o.transform?.(mean, mean);
    for (let bi = 0; bi < blocks.length; bi++) {
      const { offset, size } = blocks[bi]!;
      let err = 0;
      let dot = 0;
      let norm = 0;
      for (let i = offset; i < offset + size; i++) {
        const g = mean[i]!;
        err += (g - exact[i]!) ** 2;
        dot += g * exact[i]!;
        norm += g * g;
      }
      relErr[bi]![mi]!.push(Math.sqrt(err / exactNorm2[bi]!));
      cos[bi]![mi]!.push(norm > 0 ? dot / Math.sqrt(norm * exactNorm2[bi]!) : 0);
    }
  };
  const g = new Float64Array(P);
  if (!estimator.stochastic) {
    estimator.start(chain).estimate(1, new Rng(o.seed, `study/${estimator.name}`), g);
    for (let mi = 0; mi < Ms.length; mi++) record(g, 1, mi);
  } else if (o.grouping === 'disjoint') {
    const D = o.draws ?? 0;
    if (D < Ms[Ms.length - 1]!) throw new RangeError(`disjoint grouping needs at least ${Ms[Ms.length - 1]} draws, got ${D}`);
    const session = estimator.start(chain);
    const rng = new Rng(o.seed, `study/${estimator.name}/disjoint`);
    const sum = new Float64Array(P);
    const group = new Float64Array(P);
    const atLastBoundary = Ms.map(() => new Float64Array(P));
    const every = Math.max(1, Math.floor(D / 100));
    session.estimateDraws(D, rng, g, (g, k) => {
      for (let i = 0; i < P; i++) sum[i]! += g[i]!;
      for (let mi = 0; mi < Ms.length; mi++) {
        if (k % Ms[mi]! !== 0) continue;
        const last = atLastBoundary[mi]!;
        for (let i = 0; i < P; i++) group[i] = sum[i]! - last[i]!;
        last.set(sum);
        record(group, Ms[mi]!, mi);
      }
      if (k % every === 0) o.onProgress?.(estimator.name, k, D);
    });
  } else {
    const reps = Ms.map((M) => repsFor(M, o));
    const maxReps = Math.max(...reps);
    const sum = new Float64Array(P);
    for (let r = part?.fromRep ?? 0; r < Math.min(maxReps, part?.toRep ?? maxReps); r++) {
      let last = -1;
      for (let mi = 0; mi < Ms.length; mi++) if (reps[mi]! > r) last = mi;
      if (last < 0) break;
      const session = estimator.start(chain);
      const rng = new Rng(o.seed, `study/${estimator.name}/rep${r}`);
      sum.fill(0);
      let mi = 0;
      session.estimateDraws(Ms[last]!, rng, g, (g, k) => {
        for (let i = 0; i < P; i++) sum[i]! += g[i]!;
        while (mi <= last && Ms[mi] === k) {
          if (reps[mi]! > r) record(sum, k, mi);
          mi++;
        }
      });
      o.onProgress?.(estimator.name, r + 1, maxReps);
    }
  }
  return { relErr, cos };
}

/** The records of a study from its errors: relative RMSE, mean cosine and percentiles per block and M. */
export function summarizeStudy(name: string, blocks: StochasticChain['blocks'], samples: readonly number[], { relErr, cos }: StudyErrors): StudyRecord[] {
  const Ms = [...samples].sort((a, b) => a - b);
  const out: StudyRecord[] = [];
  for (let bi = 0; bi < blocks.length; bi++) {
    for (let mi = 0; mi < Ms.length; mi++) {
      const e = relErr[bi]![mi]!;
      const c = cos[bi]![mi]!;
      out.push({
        estimator: name,
        layer: blocks[bi]!.name,
        samples: Ms[mi]!,
        reps: e.length,
        relRmse: Math.sqrt(e.reduce((s, v) => s + v * v, 0) / e.length),
        relErrP15: percentile(e, 0.15),
        relErrP85: percentile(e, 0.85),
        cosine: c.reduce((s, v) => s + v, 0) / c.length,
        cosineMedian: percentile(c, 0.5),
        cosineP15: percentile(c, 0.15),
        cosineP85: percentile(c, 0.85),
      });
    }
  }
  return out;
}
