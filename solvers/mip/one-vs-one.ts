/**
 * The BeMi ensemble (Bernardelli, Gualandi, Lau, Milanesi 2022), with perceptrons for its
 * networks: one ternary linear classifier sign(<w, x> + t), w in {-1,0,+1}^d, t an integer, per
 * pair of classes, each trained by a MILP with BeMi's lexicographic objective — first the largest
 * smallest margin D over the pair's training rows (robustness), then, with D held, the fewest
 * non-zero weights (simplicity) — and a majority vote over the pairs (ties: lowest class index).
 * Inputs are 0/1. A pixel that is 0 in every training row of a pair gets weight 0 there (it
 * cannot change a training margin, and the second objective would zero it anyway).
 * A pair that no such classifier separates (largest margin <= 0) would be "solved" by w = 0,
 * which votes for one class on every input; such a pair is trained instead by the hinge MILP
 * (mean max(0, 1 - y (<w, x> + t))), which still separates as many rows as it can.
 */
import { linearClassifierModel } from './linear-classifier.js';
import { solveMip } from './highs.js';

export interface PairClassifier {
  /** the pair of classes: the vote goes to a where <w, x> + t >= 0, else to b */
  a: number;
  b: number;
  /** ternary weights over all d inputs */
  w: Int8Array;
  t: number;
  /** the smallest training margin reached, and whether HiGHS proved it the largest */
  margin: number;
  marginProven: boolean;
  /** non-zero weights, and whether HiGHS proved that no fewer reach the margin */
  active: number;
  activeProven: boolean;
  /** 'hinge' when the pair was not separable and was trained by the hinge MILP instead */
  fallback?: 'hinge';
  seconds: number;
}

export interface OneVsOneOptions {
  /** HiGHS time limit per MILP (two per pair), seconds */
  timeLimitS: number;
  relGap: number;
  /** run the second (fewest non-zero weights) stage */
  sparsify: boolean;
  onPair?: (done: number, total: number) => void;
}

/** Trains one classifier per pair of classes on rows x d inputs in {0, 1}. */
export async function trainOneVsOne(X: Uint8Array, labels: Int32Array, rows: number, d: number, classes: number, options: OneVsOneOptions): Promise<PairClassifier[]> {
  const pairs: PairClassifier[] = [];
  const total = (classes * (classes - 1)) / 2;
  for (let a = 0; a < classes; a++) {
    for (let b = a + 1; b < classes; b++) {
      const t0 = performance.now();
      const members: number[] = [];
      for (let r = 0; r < rows; r++) if (labels[r] === a || labels[r] === b) members.push(r);
      const used: number[] = [];
      for (let i = 0; i < d; i++) if (members.some((r) => X[r * d + i] === 1)) used.push(i);
      const m = members.length;
      const n = used.length;
      const sub = new Float64Array(m * n);
      const y = new Float64Array(m);
      members.forEach((r, j) => {
        y[j] = labels[r] === a ? 1 : -1;
        used.forEach((i, k) => (sub[j * n + k] = X[r * d + i]!));
      });
      const spec = { m, n, X: sub, y, weights: 'ternary', bias: true } as const;
      const robust = linearClassifierModel({ ...spec, objective: 'margin' });
      const first = await solveMip(robust.model, { timeLimitS: options.timeLimitS, relGap: options.relGap });
      let wSub = first.x ? robust.weightsAt(first.x) : new Int8Array(n);
      let t = first.x ? robust.biasAt(first.x) : 0;
      const margin = first.x ? Math.round(robust.marginAt(first.x)) : 0;
      const marginProven = first.status === 'optimal' && first.dualBound !== -Infinity && margin >= Math.round(-first.dualBound);
      let activeProven = false;
      let fallback: 'hinge' | undefined;
      if (first.x && margin <= 0) {
        const hinge = linearClassifierModel({ ...spec, objective: 'hinge', scale: 1 });
        const out = await solveMip(hinge.model, { timeLimitS: options.timeLimitS, relGap: options.relGap, start: hinge.complete(wSub, t) });
        if (out.x) {
          wSub = hinge.weightsAt(out.x);
          t = hinge.biasAt(out.x);
        }
        fallback = 'hinge';
      } else if (options.sparsify && first.x) {
        const simple = linearClassifierModel({ ...spec, objective: 'margin', fixMargin: margin });
        const second = await solveMip(simple.model, { timeLimitS: options.timeLimitS, relGap: options.relGap, start: simple.complete(wSub, t) });
        if (second.x) {
          wSub = simple.weightsAt(second.x);
          t = simple.biasAt(second.x);
          activeProven = second.status === 'optimal';
        }
      }
      const w = new Int8Array(d);
      used.forEach((i, k) => (w[i] = wSub[k]!));
      let active = 0;
      for (const v of w) if (v !== 0) active++;
      pairs.push({ a, b, w, t, margin, marginProven, active, activeProven, ...(fallback ? { fallback } : {}), seconds: (performance.now() - t0) / 1000 });
      options.onPair?.(pairs.length, total);
    }
  }
  return pairs;
}

/** Majority vote of the pair classifiers on rows x d inputs in {0, 1}; ties go to the lowest class. */
export function predictOneVsOne(pairs: readonly PairClassifier[], X: Uint8Array, rows: number, d: number, classes: number): Int32Array {
  const out = new Int32Array(rows);
  const votes = new Int32Array(classes);
  for (let r = 0; r < rows; r++) {
    votes.fill(0);
    const base = r * d;
    for (const p of pairs) {
      let s = p.t;
      for (let i = 0; i < d; i++) if (X[base + i] === 1) s += p.w[i]!;
      votes[s >= 0 ? p.a : p.b]!++;
    }
    let best = 0;
    for (let c = 1; c < classes; c++) if (votes[c]! > votes[best]!) best = c;
    out[r] = best;
  }
  return out;
}
