/**
 * Sums of selected rows of a matrix: out row r = 0 + M[index[from[r]]] + ... + M[index[to[r] - 1]]
 * (rows of h entries), the inner loop of the mlp problem's relaxed pass on ±1 inputs
 * (problems/mlp-relaxed.ts: a layer's pre-activations sum weight rows at each sample's +1 inputs,
 * its weight gradient sums delta rows over the samples where an input is +1).
 *
 * `addRows` is the JavaScript loop; row-sums.wat is the same arithmetic in WebAssembly SIMD
 * (f64x2), tested against it bit for bit, about twice as fast (bench/RESULTS.md). Both add four
 * rows per pass over the output, left to right, so the sums round exactly as one row at a time
 * would.
 */
import type { WasmMemory } from '../core/wasm.js';
import { kernelModule, WasmArena, type F64Block, type I32Block } from '../core/wasm-arena.js';

/**
 * out[ob .. ob + h) += M row index[k] for each k in [from, to), four rows per pass over out: the
 * expression out + a + b + c + d is evaluated left to right, so the sum is rounded exactly as four
 * separate passes would round it, with a quarter of the loads and stores of out.
 */
export function addRows(index: Int32Array, from: number, to: number, M: Float64Array, h: number, out: Float64Array, ob: number): void {
  let k = from;
  for (; k + 3 < to; k += 4) {
    const w0 = index[k]! * h;
    const w1 = index[k + 1]! * h;
    const w2 = index[k + 2]! * h;
    const w3 = index[k + 3]! * h;
    for (let j = 0; j < h; j++) out[ob + j] = out[ob + j]! + M[w0 + j]! + M[w1 + j]! + M[w2 + j]! + M[w3 + j]!;
  }
  for (; k < to; k++) {
    const wi = index[k]! * h;
    for (let j = 0; j < h; j++) out[ob + j]! += M[wi + j]!;
  }
}

/**
 * out[ob .. ob + h) += sum over k < count of values[k] * M row index[k], four rows per pass
 * (out + v0 m0 + v1 m1 + ... left to right: rounded as one row at a time would be): the weighted
 * twin of addRows (the mlp relaxed pass's layers with real inputs).
 */
export function addScaledRows(index: Int32Array, values: Float64Array, count: number, M: Float64Array, h: number, out: Float64Array, ob: number): void {
  let k = 0;
  for (; k + 3 < count; k += 4) {
    const v0 = values[k]!;
    const v1 = values[k + 1]!;
    const v2 = values[k + 2]!;
    const v3 = values[k + 3]!;
    const m0 = index[k]! * h;
    const m1 = index[k + 1]! * h;
    const m2 = index[k + 2]! * h;
    const m3 = index[k + 3]! * h;
    for (let j = 0; j < h; j++) out[ob + j] = out[ob + j]! + v0 * M[m0 + j]! + v1 * M[m1 + j]! + v2 * M[m2 + j]! + v3 * M[m3 + j]!;
  }
  for (; k < count; k++) {
    const v = values[k]!;
    const mk = index[k]! * h;
    for (let j = 0; j < h; j++) out[ob + j]! += v * M[mk + j]!;
  }
}

interface RowSumsExports {
  memory: WasmMemory;
  gatherSums(rows: number, from: number, to: number, index: number, M: number, h: number, out: number): void;
}

/** Why the WebAssembly row sums cannot run here, or undefined when they can. */
export function rowSumsUnavailable(): string | undefined {
  const module = kernelModule('row-sums');
  return typeof module === 'string' ? module : undefined;
}

/** An instance of row-sums.wat with its own memory: the caller places M, index, from/to and out in it. */
export class RowSumsArena extends WasmArena<RowSumsExports> {
  constructor(bytes: number) {
    const module = kernelModule('row-sums');
    if (typeof module === 'string') throw new Error(`WebAssembly row sums unavailable: ${module}`);
    super(module, bytes, 'the WebAssembly row sums');
  }

  /**
   * out rows 0 .. rows - 1 (h entries each) = the sums of the M rows that index names from
   * from[r] to to[r] - 1; `fromAt`/`toAt` say which entry of their blocks row 0 reads (the
   * gradient's stretch ends are its starts shifted by one).
   */
  gatherSums(rows: number, from: I32Block, fromAt: number, to: I32Block, toAt: number, index: I32Block, M: F64Block, h: number, out: F64Block): void {
    this.kernels.gatherSums(rows, from.ptr + 4 * fromAt, to.ptr + 4 * toAt, index.ptr, M.ptr, h, out.ptr);
  }
}
