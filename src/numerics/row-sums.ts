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
