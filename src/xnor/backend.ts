/**
 * The kernel API every XNOR-popcount backend implements: all dot products of the rows of two
 * packed ±1 matrices (see src/bits.ts for the packing). Backends differ only in speed; each is
 * compared bit for bit with the plain reference in src/xnor.ts.
 */
import type { PackedMatrix } from '../core/bits.js';

export interface XnorBackend {
  /** registry name, e.g. 'wasm' or 'gpujs-webasm' */
  readonly name: string;
  /** out[i * B.rows + j] = <A_i, B_j> for A (M x K bits) and B (N x K bits). */
  gemm(A: PackedMatrix, B: PackedMatrix, out?: Int32Array): Int32Array;
}

/** A backend that cannot start on this machine; `reason` says why, for the user. */
export class BackendUnavailable extends Error {
  constructor(readonly backend: string, readonly reason: string) {
    super(`backend '${backend}' cannot start here: ${reason}`);
    this.name = 'BackendUnavailable';
  }
}

export function checkShapes(A: PackedMatrix, B: PackedMatrix, out: Int32Array | undefined, who: string): Int32Array {
  if (A.bits !== B.bits) throw new RangeError(`${who}: A has ${A.bits}-bit rows, B has ${B.bits}-bit rows`);
  if (A.words !== B.words) throw new RangeError(`${who}: A has ${A.words} words per row, B has ${B.words}`);
  const size = A.rows * B.rows;
  if (!out) return new Int32Array(size);
  if (out.length < size) throw new RangeError(`${who}: output has ${out.length} entries, needs ${size}`);
  return out;
}
