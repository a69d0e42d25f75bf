/**
 * MILP formulation of training a network of sign units (SignNetworkData: binary weights,
 * binarised ±1 inputs, each neuron's threshold the training-set mean of its pre-activation, as
 * the mlp problem folds batch norm), in the manner of Toro Icarte et al. 2019 and Thorbjarnarson
 * & Yorke-Smith 2023, written from their descriptions.
 *
 * With R training rows, neuron j's centred pre-activation times R is
 *   g_rj = R z_rj - sum_r' z_r'j,
 * an integer, so "z_rj >= mu_j" is exactly g_rj >= 0 and its negation g_rj <= -1.
 *  - First layer: z_rj = <w_j, a_r> with constant inputs, so g_rj = sum_i w_ji (R a_ri - S_i),
 *    S_i = sum_r a_ri: linear in the weights; |g_rj| <= M_rj = sum_i |R a_ri - S_i|.
 *  - Later layers: inputs h_rj = 2u_rj - 1 are variables; each product p_rkj = v_kj h_rj of two
 *    ±1 variables is a continuous column in [-1, 1] held to the product exactly by four
 *    inequalities (p >= v + h - 1, p >= -v - h - 1, p <= v - h + 1, p <= -v + h + 1); the sum
 *    over rows is one equality column s_k; g_rk = R sum_j p_rkj - s_k, |g_rk| <= 2 R H.
 *  - A hidden unit's output u_rj in {0,1}: g_rj >= -M (1 - u_rj) and g_rj <= -1 + (M + 1) u_rj.
 *  - Output, objective 'max_correct': an error indicator e_r per row (cost 1/R). One output unit
 *    ('sign'): class 1 needs g_r >= 0, class 0 needs g_r <= -1: the training error exactly.
 *    Several ('argmax-normalised'): the true class y needs g_ry - g_rk >= [k < y] for every k != y
 *    (ties go to the lowest index): argmax of the centred scores. The problem divides each
 *    score by its standard deviation first, which no linear model can express, so there the
 *    model is a training objective, not the problem's error.
 *  - 'sat_margin': as max_correct, but a row counts only when its centred output score clears
 *    `margin` (g >= R * margin, in units of z - mu); 'min_hinge': minimise the mean hinge
 *    max(0, margin - t_r (z_r - mu)) (two classes) or max_k (margin - (score_y - score_k))^+.
 * Every big-M is the largest value its expression can take, derived from the data.
 */
import type { SignNetworkData } from '../../src/core/problem.js';
import { MipModel, addCol, addTo, expr, type LinExpr } from './model.js';

export type NetworkObjective = 'max_correct' | 'sat_margin' | 'min_hinge';

export interface SignNetworkModel {
  model: MipModel;
  /** the weight column of each binary weight, in the problem's order (w = 2b - 1) */
  weightCols: Int32Array;
  /** ±1 weights at column values x */
  weightsAt(x: ArrayLike<number>): Int8Array;
  /** every column's value for given weights (a starting point for HiGHS) */
  complete(w: ArrayLike<number>): Float64Array;
  /** whether the objective is exactly the problem's training error (as a fraction of rows) */
  exactError: boolean;
}

/** Whether the MILP's objective is exactly the problem's training error: max_correct on one output unit. */
export function objectiveIsTrainError(net: Pick<SignNetworkData, 'output'>, objective: NetworkObjective): boolean {
  return objective === 'max_correct' && net.output === 'sign';
}

export function signNetworkModel(net: SignNetworkData, objective: NetworkObjective, margin: number): SignNetworkModel {
  const { arch, rows: R, inputs, labels } = net;
  const model = new MipModel();
  const L = arch.length - 1;
  // what complete() replays, in construction order: each sets columns defined by earlier ones
  const fills: Array<(x: Float64Array) => void> = [];
  const weightCols: number[] = [];
  const layerWeights: LinExpr[][] = [];
  for (let l = 0; l < L; l++) {
    const ws: LinExpr[] = [];
    for (let k = 0; k < arch[l]! * arch[l + 1]!; k++) {
      const s = model.sign();
      weightCols.push(s.col);
      ws.push(s.value);
    }
    layerWeights.push(ws);
  }

  // g[r][j] of the current layer, as expressions, with a bound on |g|
  let g: LinExpr[][] = [];
  let gBound = 0;
  const d0 = arch[0]!;
  {
    const h = arch[1]!;
    const S = new Float64Array(d0);
    for (let r = 0; r < R; r++) for (let i = 0; i < d0; i++) S[i]! += inputs[r * d0 + i]!;
    const ws = layerWeights[0]!;
    for (let r = 0; r < R; r++) {
      const row: LinExpr[] = [];
      for (let j = 0; j < h; j++) {
        const e = expr();
        for (let i = 0; i < d0; i++) {
          const c = R * inputs[r * d0 + i]! - S[i]!;
          if (c !== 0) addTo(e, ws[j * d0 + i]!, c);
        }
        row.push(e);
      }
      g.push(row);
    }
    let maxAbs = 0;
    for (let r = 0; r < R; r++) {
      let s = 0;
      for (let i = 0; i < d0; i++) s += Math.abs(R * inputs[r * d0 + i]! - S[i]!);
      maxAbs = Math.max(maxAbs, s);
    }
    gBound = maxAbs;
  }

  for (let l = 1; l < L; l++) {
    // the outputs of layer l-1 (hidden): u binary with h = 2u - 1
    const H = arch[l]!;
    const K = arch[l + 1]!;
    const M = gBound;
    const hExpr: LinExpr[][] = [];
    for (let r = 0; r < R; r++) {
      const row: LinExpr[] = [];
      for (let j = 0; j < H; j++) {
        const u = model.binary();
        const gr = g[r]![j]!;
        model.atLeast(addCol(addTo(expr(), gr), u, -M), -M);
        model.atMost(addCol(addTo(expr(), gr), u, -(M + 1)), -1);
        fills.push((x) => {
          x[u] = MipModel.evaluate(gr, x) >= 0 ? 1 : 0;
        });
        row.push({ cols: [u], coefs: [2], constant: -1 });
      }
      hExpr.push(row);
    }
    // products p_rkj = v_kj h_rj, the row sums s_k, and g of layer l
    const vs = layerWeights[l]!;
    const next: LinExpr[][] = [];
    const sums: number[] = [];
    const zs: LinExpr[][] = [];
    for (let r = 0; r < R; r++) zs.push(Array.from({ length: K }, () => expr()));
    for (let k = 0; k < K; k++) {
      for (let r = 0; r < R; r++) {
        for (let j = 0; j < H; j++) {
          const v = vs[k * H + j]!;
          const hv = hExpr[r]![j]!;
          const p = model.addVar(-1, 1, false);
          const pe = addCol(expr(), p, 1);
          // p >= v + h - 1 ; p >= -v - h - 1 ; p <= v - h + 1 ; p <= -v + h + 1
          model.atLeast(addTo(addTo(addTo(expr(), pe), v, -1), hv, -1), -1);
          model.atLeast(addTo(addTo(addTo(expr(), pe), v, 1), hv, 1), -1);
          model.atMost(addTo(addTo(addTo(expr(), pe), v, -1), hv, 1), 1);
          model.atMost(addTo(addTo(addTo(expr(), pe), v, 1), hv, -1), 1);
          fills.push((x) => {
            x[p] = MipModel.evaluate(v, x) * MipModel.evaluate(hv, x);
          });
          addCol(zs[r]![k]!, p, 1);
        }
      }
      const s = model.addVar(-R * H, R * H, false);
      const def = addCol(expr(), s, -1);
      for (let r = 0; r < R; r++) addTo(def, zs[r]![k]!);
      model.addRow(def, 0, 0);
      const zk = zs.map((row) => row[k]!);
      fills.push((x) => {
        let t = 0;
        for (const z of zk) t += MipModel.evaluate(z, x);
        x[s] = t;
      });
      sums.push(s);
    }
    for (let r = 0; r < R; r++) next.push(Array.from({ length: K }, (_, k) => addCol(addTo(expr(), zs[r]![k]!, R), sums[k]!, -1)));
    g = next;
    gBound = 2 * R * H;
  }

  // output layer
  const K = arch[L]!;
  const Rm = R * margin;
  if (K === 1) {
    for (let r = 0; r < R; r++) {
      const t = labels[r] === 1 ? 1 : -1;
      const gr = g[r]![0]!;
      // t g >= need counts as correct: need = 0 for class 1 (g >= 0), 1 for class 0 (g <= -1)
      const need = objective === 'sat_margin' ? Math.max(t > 0 ? 0 : 1, Math.ceil(Rm)) : t > 0 ? 0 : 1;
      const tg = addTo(expr(), gr, t);
      if (objective === 'min_hinge') {
        const xi = model.addVar(0, Infinity, false, 1 / R);
        // xi >= margin - t g / R
        model.atLeast(addCol(addTo(expr(), tg, 1 / R), xi, 1), margin);
        fills.push((x) => {
          x[xi] = Math.max(0, margin - MipModel.evaluate(tg, x) / R);
        });
      } else {
        const e = model.binary(1 / R);
        model.atLeast(addCol(tg, e, gBound + need), need);
        fills.push((x) => {
          x[e] = MipModel.evaluate(tg, x) >= need ? 0 : 1;
        });
      }
    }
  } else {
    for (let r = 0; r < R; r++) {
      const y = labels[r]!;
      const diffs: Array<{ e: LinExpr; need: number }> = [];
      for (let k = 0; k < K; k++) {
        if (k === y) continue;
        const base = k < y ? 1 : 0;
        const need = objective === 'sat_margin' ? Math.max(base, Math.ceil(Rm)) : base;
        diffs.push({ e: addTo(addTo(expr(), g[r]![y]!), g[r]![k]!, -1), need });
      }
      if (objective === 'min_hinge') {
        const xi = model.addVar(0, Infinity, false, 1 / R);
        for (const d of diffs) model.atLeast(addCol(addTo(expr(), d.e, 1 / R), xi, 1), margin);
        fills.push((x) => {
          let worst = 0;
          for (const d of diffs) worst = Math.max(worst, margin - MipModel.evaluate(d.e, x) / R);
          x[xi] = worst;
        });
      } else {
        const e = model.binary(1 / R);
        for (const d of diffs) model.atLeast(addCol(addTo(expr(), d.e), e, 2 * gBound + d.need), d.need);
        fills.push((x) => {
          x[e] = diffs.every((d) => MipModel.evaluate(d.e, x) >= d.need) ? 0 : 1;
        });
      }
    }
  }

  const cols = Int32Array.from(weightCols);
  return {
    model,
    weightCols: cols,
    exactError: objectiveIsTrainError(net, objective),
    weightsAt: (x) => Int8Array.from(cols, (c) => (x[c]! > 0.5 ? 1 : -1)),
    complete(w) {
      const x = new Float64Array(model.numCols);
      for (let k = 0; k < cols.length; k++) x[cols[k]!] = w[k]! > 0 ? 1 : 0;
      for (const fill of fills) fill(x);
      return x;
    },
  };
}
