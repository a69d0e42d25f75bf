/**
 * The WebAssembly SDP kernels of sdp-kernels.wat (assembled to dist/wasm/sdp-kernels.wasm by
 * scripts/build-wasm.mjs): the mixing sweep, the multipliers, C X, the Riemannian Hessian-vector
 * product, and the in-place dense
 * Cholesky. An SdpWasmArena is one instance with its own memory (src/core/wasm-arena.ts).
 */
import type { WasmMemory } from '../core/wasm.js';
import { kernelModule, WasmArena } from '../core/wasm-arena.js';

interface SdpExports {
  memory: WasmMemory;
  sweep(n: number, k: number, rowPtr: number, col: number, val: number, V: number, g: number, omega: number): number;
  multipliers(n: number, k: number, rowPtr: number, col: number, val: number, diag: number, V: number, y: number, g: number): number;
  applyC(n: number, k: number, rowPtr: number, col: number, val: number, diag: number, X: number, out: number): void;
  hessian(n: number, k: number, rowPtr: number, col: number, val: number, diag: number, V: number, y: number, U: number, out: number): void;
  orthonormalize(n: number, k: number, V: number, Q: number, d: number): number;
  projectSlack(n: number, k: number, m: number, y: number, Q: number, CQ: number, H: number): void;
  combine(n: number, k: number, m: number, X: number, z: number, out: number): void;
  jacobi(m: number, A: number, Z: number): number;
  cholesky(A: number, n: number, d: number, inv: number): number;
}

/** Why the WebAssembly kernels cannot run here, or undefined when they can. */
export function sdpWasmUnavailable(): string | undefined {
  const module = kernelModule('sdp-kernels');
  return typeof module === 'string' ? module : undefined;
}

export type { F64Block, I32Block } from '../core/wasm-arena.js';

export class SdpWasmArena extends WasmArena<SdpExports> {
  /** An instance whose memory holds at least `bytes` (plus alignment for every block). */
  constructor(bytes: number) {
    const module = kernelModule('sdp-kernels');
    if (typeof module === 'string') throw new Error(`WebAssembly SDP kernels unavailable: ${module}`);
    super(module, bytes, 'the WebAssembly SDP kernels');
  }
}
