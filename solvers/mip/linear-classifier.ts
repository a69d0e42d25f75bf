/**
 * MILP formulations of training one binary (or ternary) linear classifier
 * prediction_j = sign(<x_j, w> + t) (+1 at 0) on labelled rows (x_j, y_j), y_j = ±1:
 *  - 'hinge':  minimise mean_j max(0, 1 - y_j * scale * (<x_j, w> + t)): a slack xi_j >= 0 per
 *              row above the linear margin; no big-M, the MILP is the loss itself.
 *  - 'errors': minimise the mean 0-1 error: an indicator e_j per row with
 *              y_j (<x_j, w> + t) >= delta_j - M_j e_j, where M_j = ||x_j||_1 + |t|max + delta_j is
 *              the largest value -y_j s_j can take (derived from the data, so the constraint never
 *              cuts off a weight vector) and delta_j is the least margin that counts as correct: 0
 *              for y = +1 (s = 0 predicts +1); for y = -1, 1 when every input is an integer (s is
 *              then an integer, so s < 0 means s <= -1: exact), else 0 (the model then counts s = 0
 *              as correct, a relaxation: its optimum is still a lower bound, and the incumbent is
 *              re-scored by the problem).
 *  - 'margin': maximise the smallest margin D with y_j (<x_j, w> + t) >= D for every row (the
 *              robustness objective of BeMi, Bernardelli et al. 2022); with `fixMargin` the margin
 *              is held at D >= fixMargin and the number of non-zero weights is minimised instead
 *              (BeMi's second, simplicity, objective; ternary weights).
 * Weights are binary, w = 2b - 1, or ternary, w = p - q with p + q <= 1 (|w| = p + q). The
 * objectives follow Toro Icarte et al. 2019 and Thorbjarnarson & Yorke-Smith 2023 (max_correct,
 * min_hinge); the formulation here is written from their descriptions.
 */
import { MipModel, addCol, expr, type LinExpr } from './model.js';

export interface LinearClassifierSpec {
  m: number;
  n: number;
  /** row-major m x n */
  X: ArrayLike<number>;
  /** ±1 */
  y: ArrayLike<number>;
  weights: 'binary' | 'ternary';
  /** an integer bias t in [-n, n]; absent: t = 0 */
  bias: boolean;
  objective: 'hinge' | 'errors' | 'margin';
  /** hinge: the margin scale (the teacher's 1/sqrt(n)) */
  scale?: number;
  /** margin: hold D >= fixMargin and minimise the number of non-zero weights */
  fixMargin?: number;
}

export interface LinearClassifierModel {
  model: MipModel;
  /** the weights (±1, or -1/0/1) at column values x */
  weightsAt(x: ArrayLike<number>): Int8Array;
  biasAt(x: ArrayLike<number>): number;
  /** the margin D at x ('margin' objective) */
  marginAt(x: ArrayLike<number>): number;
  /** every column's value for given weights and bias (a starting point for HiGHS) */
  complete(w: ArrayLike<number>, t?: number): Float64Array;
}

export function linearClassifierModel(spec: LinearClassifierSpec): LinearClassifierModel {
  const { m, n, X, y } = spec;
  const model = new MipModel();
  // weights
  const wExpr: LinExpr[] = [];
  const wCols: number[][] = [];
  for (let i = 0; i < n; i++) {
    if (spec.weights === 'binary') {
      const s = model.sign();
      wExpr.push(s.value);
      wCols.push([s.col]);
    } else {
      const p = model.binary();
      const q = model.binary();
      model.atMost(addCol(addCol(expr(), p, 1), q, 1), 1);
      wExpr.push(addCol(addCol(expr(), p, 1), q, -1));
      wCols.push([p, q]);
    }
  }
  const biasBound = spec.bias ? n : 0;
  const tCol = spec.bias ? model.addVar(-biasBound, biasBound, true) : -1;
  const rowL1 = new Float64Array(m);
  for (let j = 0; j < m; j++) for (let i = 0; i < n; i++) rowL1[j]! += Math.abs(X[j * n + i]!);
  let integerData = true;
  for (let k = 0; k < m * n && integerData; k++) if (!Number.isInteger(X[k]!)) integerData = false;

  /** y_j (<x_j, w> + t), as an expression */
  const signedScore = (j: number): LinExpr => {
    const e = expr();
    const yj = y[j]!;
    for (let i = 0; i < n; i++) {
      const xi = X[j * n + i]!;
      if (xi === 0) continue;
      const we = wExpr[i]!;
      for (let k = 0; k < we.cols.length; k++) addCol(e, we.cols[k]!, yj * xi * we.coefs[k]!);
      e.constant += yj * xi * we.constant;
    }
    if (tCol >= 0) addCol(e, tCol, yj);
    return e;
  };

  const rowCols: number[] = [];
  let dCol = -1;
  if (spec.objective === 'hinge') {
    const scale = spec.scale ?? 1;
    for (let j = 0; j < m; j++) {
      const xi = model.addVar(0, Infinity, false, 1 / m);
      rowCols.push(xi);
      // xi_j + scale * y_j s_j >= 1
      const e = signedScore(j);
      for (let k = 0; k < e.coefs.length; k++) e.coefs[k] = e.coefs[k]! * scale;
      e.constant *= scale;
      model.atLeast(addCol(e, xi, 1), 1);
    }
  } else if (spec.objective === 'errors') {
    for (let j = 0; j < m; j++) {
      const delta = y[j]! > 0 ? 0 : integerData ? 1 : 0;
      const M = rowL1[j]! + biasBound + delta;
      const err = model.binary(1 / m);
      rowCols.push(err);
      model.atLeast(addCol(signedScore(j), err, M), delta);
    }
  } else {
    const dMax = Math.max(...Array.from(rowL1)) + biasBound;
    const fixed = spec.fixMargin;
    dCol = model.addVar(fixed ?? -dMax, dMax, fixed === undefined, fixed === undefined ? -1 : 0);
    for (let j = 0; j < m; j++) model.atLeast(addCol(signedScore(j), dCol, -1), 0);
    if (fixed !== undefined) for (const cols of wCols) for (const c of cols) model.cost[c] = spec.weights === 'ternary' ? 1 : 0;
  }

  const weightsAt = (x: ArrayLike<number>): Int8Array =>
    Int8Array.from(wExpr, (e) => Math.round(MipModel.evaluate(e, x)));
  const biasAt = (x: ArrayLike<number>): number => (tCol >= 0 ? Math.round(x[tCol]!) : 0);
  return {
    model,
    weightsAt,
    biasAt,
    marginAt: (x) => (dCol >= 0 ? x[dCol]! : NaN),
    complete(w, t = 0) {
      const x = new Float64Array(model.numCols);
      for (let i = 0; i < n; i++) {
        const cols = wCols[i]!;
        if (cols.length === 1) x[cols[0]!] = w[i]! > 0 ? 1 : 0;
        else {
          x[cols[0]!] = w[i]! > 0 ? 1 : 0;
          x[cols[1]!] = w[i]! < 0 ? 1 : 0;
        }
      }
      if (tCol >= 0) x[tCol] = t;
      let minMargin = Infinity;
      for (let j = 0; j < m; j++) {
        const v = MipModel.evaluate(signedScore(j), x);
        minMargin = Math.min(minMargin, v);
        if (spec.objective === 'hinge') x[rowCols[j]!] = Math.max(0, 1 - (spec.scale ?? 1) * v);
        else if (spec.objective === 'errors') {
          const delta = y[j]! > 0 ? 0 : integerData ? 1 : 0;
          x[rowCols[j]!] = v >= delta ? 0 : 1;
        }
      }
      if (dCol >= 0) x[dCol] = spec.fixMargin !== undefined ? Math.max(spec.fixMargin, minMargin) : minMargin;
      return x;
    },
  };
}
