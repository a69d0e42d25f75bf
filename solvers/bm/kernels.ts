/**
 * The per-iteration kernels of the Burer-Monteiro solver behind one interface: the mixing sweep,
 * the multipliers y_i = (C V V')_ii and the product C X (behind the Riemannian gradient and the
 * Hessian-vector product, and that product itself). 'js' is the reference (factor.ts, mixing.ts); 'wasm' runs
 * src/numerics/sdp-kernels.wat with f64x2 SIMD and is the default where it loads: measured faster
 * on every reference instance (bench/RESULTS.md, issue 10). The choice is fixed per run, never
 * timed on the fly, so that the same seed gives the same result. The kernels own V: for 'wasm'
 * it lives in the module's memory.
 */
import type { SymCsr } from '../../src/core/sym-csr.js';
import { SdpWasmArena, sdpWasmUnavailable, type F64Block } from '../../src/numerics/sdp-wasm.js';
import { addRowField, multipliers } from './factor.js';
import { mixingSweep } from './mixing.js';
import { combineColumns, jacobiEigen, orthonormalBasis, slackOnBasis, smallestOfDiagonalised } from './subspace.js';

export const KERNEL_CHOICES = ['auto', 'js', 'wasm'] as const;
export type KernelChoice = (typeof KERNEL_CHOICES)[number];
export type KernelName = 'js' | 'wasm';

export interface BmKernels {
  readonly name: KernelName;
  readonly k: number;
  /** the factor (n x k, row-major), owned by the kernels */
  readonly V: Float64Array;
  /** one mixing sweep on V (maximisation), over-relaxed by omega in [1, 2) (mixing.ts); returns its gain */
  sweep(omega?: number): number;
  /** y_i = (C V V')_ii into y; returns sum(y) = <C, V V'> */
  multipliers(y: Float64Array): number;
  /** out = C X (n x k), diagonal included */
  applyC(X: Float64Array, out: Float64Array): void;
  /**
   * out = 2 P (S U), S = Diag(y) - C, P the row-wise projection onto the tangent space at V:
   * the Riemannian Hessian of -<C, V V'> applied to a tangent U (newton.ts)
   */
  hessian(y: Float64Array, U: Float64Array, out: Float64Array): void;
  /**
   * Rayleigh-Ritz on span(V) for S = Diag(y) - C (subspace.ts): an orthonormal basis Q of span(V)
   * (m columns, near-dependent ones dropped), SQ = S Q, and H = Q' S Q symmetrised into H (m x m
   * row-major; H holds at least k^2 doubles). Returns m. Q and SQ are kept for ritzVector.
   */
  projectSlack(y: Float64Array, H: Float64Array): number;
  /** u = Q z and Su = SQ z (= S u) for the basis of the last projectSlack; z has m entries */
  ritzVector(z: Float64Array, u: Float64Array, Su: Float64Array): void;
  /**
   * The smallest eigenvalue of the symmetric m x m H (row-major; overwritten) by Jacobi
   * (subspace.ts), its unit eigenvector into z
   */
  smallestEigenpair(H: Float64Array, m: number, z: Float64Array): number;
}

/** H = (H + H') / 2 in place (m x m row-major) */
function symmetrise(H: Float64Array, m: number): void {
  for (let a = 0; a < m; a++) {
    for (let b = 0; b < a; b++) {
      const s = 0.5 * (H[a * m + b]! + H[b * m + a]!);
      H[a * m + b] = s;
      H[b * m + a] = s;
    }
  }
}

/** The kernel set a choice resolves to here: 'auto' is 'wasm' where it loads, else 'js'. */
export function resolveKernels(choice: KernelChoice = 'auto'): KernelName {
  if (choice !== 'auto') return choice;
  return sdpWasmUnavailable() === undefined ? 'wasm' : 'js';
}

export function createKernels(C: SymCsr, k: number, V0: Float64Array, choice: KernelChoice = 'auto'): BmKernels {
  const name = resolveKernels(choice);
  if (name === 'wasm') {
    const why = sdpWasmUnavailable();
    if (why !== undefined) throw new Error(`--kernels wasm: ${why}`);
    return new WasmKernels(C, k, V0);
  }
  return new JsKernels(C, k, V0);
}

class JsKernels implements BmKernels {
  readonly name = 'js';
  readonly V: Float64Array;
  private readonly g: Float64Array;
  // the span(V) basis and S times it, allocated at the first projectSlack
  private Q: Float64Array | undefined;
  private SQ: Float64Array | undefined;
  private m = 0;
  constructor(private readonly C: SymCsr, readonly k: number, V0: Float64Array) {
    this.V = Float64Array.from(V0);
    this.g = new Float64Array(k);
  }
  projectSlack(y: Float64Array, H: Float64Array): number {
    const { C, k } = this;
    const n = C.n;
    this.Q ??= new Float64Array(n * k);
    this.SQ ??= new Float64Array(n * k);
    const m = orthonormalBasis(this.V, n, k, this.Q, this.g);
    this.applyC(this.Q, this.SQ);
    slackOnBasis(y, this.Q, this.SQ, n, k, m, H);
    symmetrise(H, m);
    this.m = m;
    return m;
  }
  smallestEigenpair(H: Float64Array, m: number, z: Float64Array): number {
    const Z = new Float64Array(m * m);
    jacobiEigen(H, m, Z);
    return smallestOfDiagonalised(H, Z, m, z);
  }
  ritzVector(z: Float64Array, u: Float64Array, Su: Float64Array): void {
    const n = this.C.n;
    combineColumns(this.Q!, n, this.k, this.m, z, u);
    combineColumns(this.SQ!, n, this.k, this.m, z, Su);
  }
  sweep(omega = 1): number {
    return mixingSweep(this.C, this.V, this.k, this.g, omega);
  }
  multipliers(y: Float64Array): number {
    return multipliers(this.C, this.V, this.k, y);
  }
  applyC(X: Float64Array, out: Float64Array): void {
    const { C, k } = this;
    for (let i = 0; i < C.n; i++) {
      const base = i * k;
      for (let r = 0; r < k; r++) out[base + r] = C.diag[i]! * X[base + r]!;
      addRowField(C, X, k, i, out, base);
    }
  }
  hessian(y: Float64Array, U: Float64Array, out: Float64Array): void {
    const { C, k, V } = this;
    this.applyC(U, out);
    for (let i = 0; i < C.n; i++) {
      const b = i * k;
      let dot = 0;
      for (let r = 0; r < k; r++) {
        const s = y[i]! * U[b + r]! - out[b + r]!;
        out[b + r] = s;
        dot += s * V[b + r]!;
      }
      for (let r = 0; r < k; r++) out[b + r] = 2 * (out[b + r]! - dot * V[b + r]!);
    }
  }
}

class WasmKernels implements BmKernels {
  private readonly yIn: F64Block;
  readonly name = 'wasm';
  readonly V: Float64Array;
  private readonly arena: SdpWasmArena;
  private readonly n: number;
  private readonly ptr: { rowPtr: number; col: number; val: number; diag: number; V: number; g: number };
  private readonly y: F64Block;
  private readonly X: F64Block;
  private readonly out: F64Block;
  // the span(V) Rayleigh-Ritz blocks: basis Q, S Q, H (k x k), z (k), u and S u (n)
  private readonly Q: F64Block;
  private readonly SQ: F64Block;
  private readonly H: F64Block;
  private readonly Z: F64Block;
  private readonly z: F64Block;
  private readonly u: F64Block;
  private readonly Su: F64Block;
  private m = 0;

  constructor(C: SymCsr, readonly k: number, V0: Float64Array) {
    const n = C.n;
    const nnz = C.rowPtr[n]!;
    this.n = n;
    this.arena = new SdpWasmArena(SdpWasmArena.bytesFor(4 * (n + 1), 4 * nnz, 8 * nnz, 8 * n, 8 * n * k, 8 * k, 8 * n, 8 * n, 8 * n * k, 8 * n * k, 8 * n * k, 8 * n * k, 8 * k * k, 8 * k * k, 8 * k, 8 * n, 8 * n));
    const a = this.arena;
    const rowPtr = a.i32(n + 1, C.rowPtr);
    const col = a.i32(nnz, C.col);
    const val = a.f64(nnz, C.val);
    const diag = a.f64(n, C.diag);
    const V = a.f64(n * k, V0);
    const g = a.f64(k);
    this.y = a.f64(n);
    this.yIn = a.f64(n);
    this.X = a.f64(n * k);
    this.out = a.f64(n * k);
    this.Q = a.f64(n * k);
    this.SQ = a.f64(n * k);
    this.H = a.f64(k * k);
    this.Z = a.f64(k * k);
    this.z = a.f64(k);
    this.u = a.f64(n);
    this.Su = a.f64(n);
    this.V = V.view;
    this.ptr = { rowPtr: rowPtr.ptr, col: col.ptr, val: val.ptr, diag: diag.ptr, V: V.ptr, g: g.ptr };
  }
  sweep(omega = 1): number {
    const p = this.ptr;
    return this.arena.kernels.sweep(this.n, this.k, p.rowPtr, p.col, p.val, p.V, p.g, omega);
  }
  multipliers(y: Float64Array): number {
    const p = this.ptr;
    const total = this.arena.kernels.multipliers(this.n, this.k, p.rowPtr, p.col, p.val, p.diag, p.V, this.y.ptr, p.g);
    y.set(this.y.view);
    return total;
  }
  applyC(X: Float64Array, out: Float64Array): void {
    const p = this.ptr;
    let xPtr = p.V;
    if (X !== this.V) {
      this.X.view.set(X);
      xPtr = this.X.ptr;
    }
    this.arena.kernels.applyC(this.n, this.k, p.rowPtr, p.col, p.val, p.diag, xPtr, this.out.ptr);
    out.set(this.out.view);
  }
  hessian(y: Float64Array, U: Float64Array, out: Float64Array): void {
    const p = this.ptr;
    this.yIn.view.set(y);
    this.X.view.set(U);
    this.arena.kernels.hessian(this.n, this.k, p.rowPtr, p.col, p.val, p.diag, p.V, this.yIn.ptr, this.X.ptr, this.out.ptr);
    out.set(this.out.view);
  }
  projectSlack(y: Float64Array, H: Float64Array): number {
    const p = this.ptr;
    const { n, k } = this;
    const w = this.arena.kernels;
    const m = w.orthonormalize(n, k, p.V, this.Q.ptr, p.g);
    w.applyC(n, k, p.rowPtr, p.col, p.val, p.diag, this.Q.ptr, this.SQ.ptr);
    this.yIn.view.set(y);
    w.projectSlack(n, k, m, this.yIn.ptr, this.Q.ptr, this.SQ.ptr, this.H.ptr);
    H.set(this.H.view.subarray(0, m * m));
    symmetrise(H, m);
    this.m = m;
    return m;
  }
  ritzVector(z: Float64Array, u: Float64Array, Su: Float64Array): void {
    const { n, k, m } = this;
    const w = this.arena.kernels;
    this.z.view.set(z.subarray(0, m));
    w.combine(n, k, m, this.Q.ptr, this.z.ptr, this.u.ptr);
    w.combine(n, k, m, this.SQ.ptr, this.z.ptr, this.Su.ptr);
    u.set(this.u.view);
    Su.set(this.Su.view);
  }
  smallestEigenpair(H: Float64Array, m: number, z: Float64Array): number {
    const A = this.H.view.subarray(0, m * m);
    A.set(H.subarray(0, m * m));
    this.arena.kernels.jacobi(m, this.H.ptr, this.Z.ptr);
    H.set(A);
    return smallestOfDiagonalised(H, this.Z.view, m, z);
  }
}
