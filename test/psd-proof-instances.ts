/**
 * Generated sparse symmetric instances for the psd-proof tests and bench/psd-proof.ts: rudy-style
 * random graphs with a given number of edges, toroidal 2-D grids with +-1 weights (G11, G81 style),
 * and the matrices a dual-bound proof meets, S = Diag(y) - C for the MaxCut cost C = L/4.
 */
import { symCsrFromTriplets } from '../src/numerics/csr.js';
import type { SymCsr } from '../src/core/sym-csr.js';
import { Rng } from '../src/numerics/rng.js';

export interface Graph {
  n: number;
  /** edge e joins u[e] and v[e] (u < v) with weight w[e] */
  u: Int32Array;
  v: Int32Array;
  w: Float64Array;
}

/** m distinct random edges on n nodes, weight 1 or a random sign. */
export function randomGraph(n: number, m: number, seed: number, signed: boolean): Graph {
  if (m > (n * (n - 1)) / 2) throw new Error(`randomGraph: ${m} edges do not fit on ${n} nodes`);
  const rng = new Rng(seed, 'psd-graph');
  const seen = new Set<number>();
  const u = new Int32Array(m);
  const v = new Int32Array(m);
  const w = new Float64Array(m);
  let e = 0;
  while (e < m) {
    const a = rng.int(n);
    const b = rng.int(n);
    if (a === b) continue;
    const lo = Math.min(a, b);
    const hi = Math.max(a, b);
    const key = lo * n + hi;
    if (seen.has(key)) continue;
    seen.add(key);
    u[e] = lo;
    v[e] = hi;
    w[e] = signed ? rng.sign() : 1;
    e++;
  }
  return { n, u, v, w };
}

/** The rows x cols toroidal grid (every node has 4 neighbours when rows, cols >= 3), weights 1 or +-1. */
export function torusGraph(rows: number, cols: number, seed: number, signed: boolean): Graph {
  const rng = new Rng(seed, 'psd-torus');
  const n = rows * cols;
  const us: number[] = [];
  const vs: number[] = [];
  const ws: number[] = [];
  const add = (a: number, b: number): void => {
    us.push(Math.min(a, b));
    vs.push(Math.max(a, b));
    ws.push(signed ? rng.sign() : 1);
  };
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      if (cols > 2 || c + 1 < cols) add(i, r * cols + ((c + 1) % cols));
      if (rows > 2 || r + 1 < rows) add(i, ((r + 1) % rows) * cols + c);
    }
  }
  return { n, u: Int32Array.from(us), v: Int32Array.from(vs), w: Float64Array.from(ws) };
}

/** The weighted adjacency matrix plus Diag(diag). */
export function adjacencyPlusDiag(g: Graph, diag: ArrayLike<number>): SymCsr {
  const r: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  for (let e = 0; e < g.u.length; e++) r.push(g.u[e]!), c.push(g.v[e]!), v.push(g.w[e]!);
  for (let i = 0; i < g.n; i++) r.push(i), c.push(i), v.push(diag[i]!);
  return symCsrFromTriplets(g.n, r, c, v);
}

/**
 * S = Diag(y) - C for the MaxCut cost C = L/4 (L the weighted Laplacian): off-diagonal w_ij / 4,
 * diagonal y_i - deg_i / 4. With y_i = deg_i / 4 + noise * N(0,1) this is the kind of matrix the
 * SDP dual bound must prove psd after a shift ("Laplacian minus diagonal").
 */
export function dualSlackLike(g: Graph, seed: number, noise: number): SymCsr {
  const rng = new Rng(seed, 'psd-slack');
  const deg = new Float64Array(g.n);
  for (let e = 0; e < g.u.length; e++) {
    deg[g.u[e]!]! += g.w[e]!;
    deg[g.v[e]!]! += g.w[e]!;
  }
  const y = Float64Array.from(deg, (d) => d / 4 + noise * rng.normal());
  const r: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  for (let e = 0; e < g.u.length; e++) r.push(g.u[e]!), c.push(g.v[e]!), v.push(g.w[e]! / 4);
  for (let i = 0; i < g.n; i++) r.push(i), c.push(i), v.push(y[i]! - deg[i]! / 4);
  return symCsrFromTriplets(g.n, r, c, v);
}

/**
 * The signed Laplacian sum_e |w_e| (e_u - s_e e_v)(e_u - s_e e_v)', s_e = sign(w_e): psd, integer
 * entries; singular when the signs are balanced (always for weights 1).
 */
export function signedLaplacian(g: Graph): SymCsr {
  const deg = new Float64Array(g.n);
  const r: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  for (let e = 0; e < g.u.length; e++) {
    deg[g.u[e]!]! += Math.abs(g.w[e]!);
    deg[g.v[e]!]! += Math.abs(g.w[e]!);
    r.push(g.u[e]!), c.push(g.v[e]!), v.push(-g.w[e]!);
  }
  for (let i = 0; i < g.n; i++) r.push(i), c.push(i), v.push(deg[i]!);
  return symCsrFromTriplets(g.n, r, c, v);
}
