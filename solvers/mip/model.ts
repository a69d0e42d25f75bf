/**
 * A mixed-integer linear model under construction: columns with bounds, cost and integrality,
 * rows lower <= sum a_k x_k <= upper stored in compressed sparse rows. The formulations build
 * into it; highs.ts hands it to HiGHS. Linear expressions carry a constant so that a ±1 weight
 * can be written as w = 2b - 1 over a binary column b and the constant moved to the row bounds.
 */

export const INF = Infinity;

/** sum_k coef[k] * x[cols[k]] + constant */
export interface LinExpr {
  cols: number[];
  coefs: number[];
  constant: number;
}

export function expr(constant = 0): LinExpr {
  return { cols: [], coefs: [], constant };
}

/** e += coef * (the expression `term`) */
export function addTo(e: LinExpr, term: LinExpr, coef = 1): LinExpr {
  for (let k = 0; k < term.cols.length; k++) {
    e.cols.push(term.cols[k]!);
    e.coefs.push(coef * term.coefs[k]!);
  }
  e.constant += coef * term.constant;
  return e;
}

/** e += coef * x_col */
export function addCol(e: LinExpr, col: number, coef: number): LinExpr {
  e.cols.push(col);
  e.coefs.push(coef);
  return e;
}

export class MipModel {
  readonly lower: number[] = [];
  readonly upper: number[] = [];
  readonly cost: number[] = [];
  readonly integer: boolean[] = [];
  readonly rowLower: number[] = [];
  readonly rowUpper: number[] = [];
  readonly starts: number[] = [0];
  readonly indices: number[] = [];
  readonly values: number[] = [];
  /** constant added to the objective */
  offset = 0;

  get numCols(): number {
    return this.lower.length;
  }

  get numRows(): number {
    return this.rowLower.length;
  }

  addVar(lower: number, upper: number, integer: boolean, cost = 0): number {
    this.lower.push(lower);
    this.upper.push(upper);
    this.integer.push(integer);
    this.cost.push(cost);
    return this.lower.length - 1;
  }

  binary(cost = 0): number {
    return this.addVar(0, 1, true, cost);
  }

  /** A ±1 variable as the expression 2b - 1 over a new binary column b. */
  sign(): { col: number; value: LinExpr } {
    const col = this.binary();
    return { col, value: { cols: [col], coefs: [2], constant: -1 } };
  }

  /** Adds coef * e to the objective. */
  addCost(e: LinExpr, coef: number): void {
    for (let k = 0; k < e.cols.length; k++) this.cost[e.cols[k]!]! += coef * e.coefs[k]!;
    this.offset += coef * e.constant;
  }

  /** lower <= e <= upper (repeated columns are merged, zero coefficients dropped). */
  addRow(e: LinExpr, lower: number, upper: number): number {
    const merged = new Map<number, number>();
    for (let k = 0; k < e.cols.length; k++) merged.set(e.cols[k]!, (merged.get(e.cols[k]!) ?? 0) + e.coefs[k]!);
    for (const [col, coef] of merged) {
      if (coef === 0) continue;
      this.indices.push(col);
      this.values.push(coef);
    }
    this.starts.push(this.indices.length);
    this.rowLower.push(lower - e.constant);
    this.rowUpper.push(upper - e.constant);
    return this.rowLower.length - 1;
  }

  atLeast(e: LinExpr, bound: number): number {
    return this.addRow(e, bound, INF);
  }

  atMost(e: LinExpr, bound: number): number {
    return this.addRow(e, -INF, bound);
  }

  /** The value of e at the column values x. */
  static evaluate(e: LinExpr, x: ArrayLike<number>): number {
    let v = e.constant;
    for (let k = 0; k < e.cols.length; k++) v += e.coefs[k]! * x[e.cols[k]!]!;
    return v;
  }
}
