/**
 * Teacher–student binary perceptron: inputs x_j (standard normal, or ±1 with data=pm1), labels
 * y_j = sign(<w*, x_j>) from a hidden binary teacher w* (sign(0) = +1), training labels flipped
 * with probability `noise`; test labels are the teacher's, noise-free, so test error measures how
 * well the teacher was recovered. Loss: the mean over training samples of a margin loss of
 * z_j = y_j <x_j, w> / sqrt(n), or the 0-1 training error. Without noise, the teacher has zero
 * training error, so the 0-1 loss has known optimum 0.
 */
import type { FlipState, LinearClassifierData, Problem, QuadraticForm, Scores } from '../src/core/problem.js';
import type { ParsedSpec } from '../src/core/spec.js';
import { ensureAffordable } from '../src/core/memory.js';
import { SpecReader } from '../src/core/spec.js';
import { Rng } from '../src/numerics/rng.js';
import { randomSigns, type Signs } from '../src/core/signs.js';
import { packRows, packSigns, type PackedMatrix } from '../src/core/bits.js';
import { xnorGemm } from '../src/xnor/dot.js';
import { gram, quadraticFlipState, quadraticLossAndGradient } from './quadratic.js';
import { MARGIN_LOSSES, marginLosses, type MarginLossName } from './margin-losses.js';

type DataKind = 'gauss' | 'pm1';

export interface Samples {
  m: number;
  /** row-major m x n */
  X: Float64Array;
  y: Float64Array;
  /** ±1 data packed for XNOR scoring (data=pm1 only) */
  packed?: PackedMatrix;
}

export class TeacherProblem implements Problem {
  readonly kind = 'teacher';
  readonly quadratic?: QuadraticForm;
  readonly knownOptimum?: number;
  readonly teacher: Signs;
  /** Training and test samples (exposed for independent checks). */
  readonly train: Samples;
  readonly test: Samples;
  /** Training inputs column-major (n x m), for O(m) flip updates. */
  private readonly columns: Float64Array;
  /** 1/sqrt(n): margins are y <x, w> / sqrt(n) */
  readonly scale: number;

  constructor(
    readonly spec: string,
    readonly n: number,
    m: number,
    testSize: number,
    readonly noise: number,
    readonly lossName: MarginLossName,
    data: DataKind,
    seed: number,
  ) {
    const rng = new Rng(seed, 'teacher');
    this.teacher = randomSigns(n, rng.fork('teacher'));
    this.scale = 1 / Math.sqrt(n);
    this.train = this.sample(m, data, rng.fork('train'));
    this.test = this.sample(testSize, data, rng.fork('test'));
    const flips = rng.fork('noise');
    for (let j = 0; j < m; j++) if (flips.float() < noise) this.train.y[j] = -this.train.y[j]!;
    this.columns = new Float64Array(n * m);
    for (let j = 0; j < m; j++) for (let i = 0; i < n; i++) this.columns[i * m + j] = this.train.X[j * n + i]!;
    if (lossName === 'squared') {
      // mean (1 - y<x,w>/sqrt n)^2 = 1 - 2/(m sqrt n) y'Xw + w'X'Xw/(m n)
      const { XtX, Xty } = gram(this.train.X, m, n, this.train.y);
      for (let k = 0; k < XtX.length; k++) XtX[k] = XtX[k]! / (m * n);
      for (let i = 0; i < n; i++) Xty[i] = -Xty[i]! * this.scale / m;
      this.quadratic = { n, Q: XtX, b: Xty, c: 1 };
    }
    if (lossName === '01' && noise === 0) this.knownOptimum = 0;
  }

  private sample(count: number, data: DataKind, rng: Rng): Samples {
    const { n } = this;
    const X = new Float64Array(count * n);
    for (let k = 0; k < X.length; k++) X[k] = data === 'gauss' ? rng.normal() : rng.sign();
    const y = new Float64Array(count);
    for (let j = 0; j < count; j++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += X[j * n + i]! * this.teacher[i]!;
      y[j] = s >= 0 ? 1 : -1;
    }
    return { m: count, X, y, packed: data === 'pm1' ? packRows(X, count, n) : undefined };
  }

  /** <x_j, w> for every sample; XNOR-popcount on ±1 data, floating point otherwise. */
  private dots(set: Samples, w: Signs): Float64Array {
    if (set.packed) {
      const wp = { rows: 1, bits: this.n, words: set.packed.words, data: packSigns(w) };
      return Float64Array.from(xnorGemm(set.packed, wp));
    }
    const out = new Float64Array(set.m);
    for (let j = 0; j < set.m; j++) {
      let s = 0;
      for (let i = 0; i < this.n; i++) s += set.X[j * this.n + i]! * w[i]!;
      out[j] = s;
    }
    return out;
  }

  private error(set: Samples, dots: ArrayLike<number>): number {
    if (set.m === 0) return 0;
    let wrong = 0;
    for (let j = 0; j < set.m; j++) if ((dots[j]! >= 0 ? 1 : -1) !== set.y[j]) wrong++;
    return wrong / set.m;
  }

  /** Mean loss of training dot products (the hot loop of enumeration: one inlined loop per loss). */
  private lossOfDots(dots: ArrayLike<number>): number {
    const { m, y } = this.train;
    const scale = this.scale;
    let total = 0;
    switch (this.lossName) {
      case '01':
        return this.error(this.train, dots);
      case 'hinge':
        for (let j = 0; j < m; j++) {
          const z = y[j]! * dots[j]! * scale;
          if (z < 1) total += 1 - z;
        }
        break;
      case 'logistic':
        for (let j = 0; j < m; j++) {
          const z = y[j]! * dots[j]! * scale;
          total += z > 0 ? Math.log1p(Math.exp(-z)) : -z + Math.log1p(Math.exp(z));
        }
        break;
      case 'squared':
        for (let j = 0; j < m; j++) {
          const r = 1 - y[j]! * dots[j]! * scale;
          total += r * r;
        }
        break;
    }
    return total / m;
  }

  /** The training set and loss as data (what the MIP models; see LinearClassifierData). */
  get linearClassifier(): LinearClassifierData {
    return { m: this.train.m, n: this.n, X: this.train.X, y: this.train.y, scale: this.scale, loss: this.lossName };
  }

  loss(w: Signs): number {
    return this.lossOfDots(this.dots(this.train, w));
  }

  score(w: Signs): Scores {
    const trainError = this.error(this.train, this.dots(this.train, w));
    // an empty test set has no error rate (not 0)
    return this.test.m > 0 ? { trainError, testError: this.error(this.test, this.dots(this.test, w)) } : { trainError };
  }

  get lossAndGradient(): ((x: Float64Array, grad: Float64Array) => number) | undefined {
    if (this.lossName === '01') return undefined;
    if (this.quadratic) {
      const form = this.quadratic;
      return (x, grad) => quadraticLossAndGradient(form, x, grad);
    }
    const f = marginLosses[this.lossName];
    return (x, grad) => {
      const { m, X, y } = this.train;
      const { n, scale } = this;
      grad.fill(0);
      let total = 0;
      for (let j = 0; j < m; j++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += X[j * n + i]! * x[i]!;
        const z = y[j]! * s * scale;
        total += f.value(z);
        const coef = (f.derivative(z) * y[j]! * scale) / m;
        for (let i = 0; i < n; i++) grad[i]! += coef * X[j * n + i]!;
      }
      return total / m;
    };
  }

  flipState(start: Signs): FlipState {
    if (this.quadratic) return quadraticFlipState(this.quadratic, start);
    const { columns } = this;
    const { m } = this.train;
    const w = Int8Array.from(start);
    let dots = this.dots(this.train, w);
    const trial = new Float64Array(m);
    let value = this.lossOfDots(dots);
    const moved = (i: number, target: Float64Array) => {
      const s = -2 * w[i]!;
      const base = i * m;
      for (let j = 0; j < m; j++) target[j] = dots[j]! + s * columns[base + j]!;
      return target;
    };
    return {
      w,
      get value() {
        return value;
      },
      delta: (i) => this.lossOfDots(moved(i, trial)) - value,
      flip: (i) => {
        moved(i, dots);
        w[i] = -w[i]!;
        value = this.lossOfDots(dots);
      },
      resync: () => {
        dots = this.dots(this.train, w);
        value = this.lossOfDots(dots);
      },
    };
  }
}

export function createTeacher(spec: ParsedSpec): TeacherProblem {
  const r = new SpecReader(spec);
  const n = r.int('n', 20, { min: 1, max: 100000 });
  const m = r.int('m', 5 * n, { min: 1 });
  const test = r.int('test', 1000, { min: 0 });
  const noise = r.number('noise', 0, { min: 0, max: 1 });
  const loss = r.choice('loss', 'squared', MARGIN_LOSSES);
  const data = r.choice<DataKind>('data', 'gauss', ['gauss', 'pm1']);
  const seed = r.int('seed', 1, { min: 0 });
  const canonical = r.finish();
  ensureAffordable(8 * (m + test) * (n + 2), `problem spec '${spec.text}': the ${m + test} x ${n} data`, 'lower m, test or n');
  return new TeacherProblem(canonical, n, m, test, noise, loss, data, seed);
}
