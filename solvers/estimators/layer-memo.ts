/**
 * Pre-activations and unit probabilities P(x = +1) = sigmoid(a) of a chain's layers, remembered
 * while the parameters stay fixed, so that sampled estimators do not recompute the same sigmoid
 * over and over: the first layer per case (its input is the data point, the same in every draw),
 * and, where the chain says its deeper layers ignore the case (caseFreeDeepLayers), each deeper
 * layer per binary state of its input (2^5 states per layer for the study's network, against
 * 200 cases x thousands of draws).
 *
 * The values are the ones chain.preActivation and sigmoid give, copied, so an estimator that reads
 * them computes exactly what it computed before (same bits, same random draws). `reset()` forgets
 * everything and must be called whenever the parameters may have changed: every session calls it at
 * the start of each estimate, and estimateDraws once for all its draws.
 */
import type { StochasticChain } from '../../src/core/stochastic-chain.js';
import { sigmoid } from '../../src/numerics/logistic.js';

/** Widest input layer memoised per state (the table has 2^width rows). */
export const MEMO_MAX_INPUT_UNITS = 12;

export class LayerMemo {
  /** Entries stamped with another generation are stale. */
  private generation = 0;
  private caseCapacity = 0;
  private caseStamp = new Float64Array(0);
  private caseA = new Float64Array(0);
  private caseP = new Float64Array(0);
  /** Per deeper layer (index l >= 1): stamps, pre-activations and probabilities per input state; null where not memoised. */
  private readonly stateStamp: (Float64Array | null)[];
  private readonly stateA: Float64Array[];
  private readonly stateP: Float64Array[];
  /** Pre-activations computed for callers that want only the probabilities. */
  private readonly scratch: Float64Array[];

  constructor(private readonly chain: StochasticChain) {
    const H = chain.layers;
    const tabled = (l: number) => l > 0 && chain.caseFreeDeepLayers === true && H[l - 1]! <= MEMO_MAX_INPUT_UNITS;
    this.stateStamp = H.map((_, l) => (tabled(l) ? new Float64Array(1 << H[l - 1]!) : null));
    this.stateA = H.map((h, l) => new Float64Array(tabled(l) ? (1 << H[l - 1]!) * h : 0));
    this.stateP = H.map((h, l) => new Float64Array(tabled(l) ? (1 << H[l - 1]!) * h : 0));
    this.scratch = H.map((h) => new Float64Array(h));
    this.reset();
  }

  /** Forgets every value (the parameters, or the chain's cases, may have changed). */
  reset(): void {
    this.generation++;
    const cases = this.chain.cases;
    if (cases > this.caseCapacity) {
      const h0 = this.chain.layers[0]!;
      this.caseCapacity = cases;
      this.caseStamp = new Float64Array(cases);
      this.caseA = new Float64Array(cases * h0);
      this.caseP = new Float64Array(cases * h0);
    }
  }

  /**
   * Writes layer l's pre-activations into `a` (when given) and P(unit = +1) into `p`, for case c
   * after `prev` (layer l-1's state, null for l = 0). For l >= 1, `prev` must be a +-1 state (the binary
   * estimators' case; relaxed states go to chain.preActivation directly).
   */
  fill(c: number, l: number, prev: Float64Array | null, a: Float64Array | null, p: Float64Array): void {
    const h = p.length;
    let stamp: Float64Array;
    let A: Float64Array;
    let P: Float64Array;
    let row: number;
    if (l === 0) {
      stamp = this.caseStamp;
      A = this.caseA;
      P = this.caseP;
      row = c;
    } else {
      const s = this.stateStamp[l];
      if (!s) {
        this.compute(c, l, prev, a ?? this.scratch[l]!, p);
        return;
      }
      stamp = s;
      A = this.stateA[l]!;
      P = this.stateP[l]!;
      row = 0;
      for (let j = 0; j < prev!.length; j++) if (prev![j]! > 0) row |= 1 << j;
    }
    const o = row * h;
    if (stamp[row] !== this.generation) {
      const aa = a ?? this.scratch[l]!;
      this.compute(c, l, prev, aa, p);
      for (let k = 0; k < h; k++) {
        A[o + k] = aa[k]!;
        P[o + k] = p[k]!;
      }
      stamp[row] = this.generation;
      return;
    }
    if (a) for (let k = 0; k < h; k++) a[k] = A[o + k]!;
    for (let k = 0; k < h; k++) p[k] = P[o + k]!;
  }

  private compute(c: number, l: number, prev: Float64Array | null, a: Float64Array, p: Float64Array): void {
    this.chain.preActivation(c, l, prev, a);
    for (let k = 0; k < a.length; k++) p[k] = sigmoid(a[k]!);
  }
}
