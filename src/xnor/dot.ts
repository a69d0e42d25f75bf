/**
 * XNOR-popcount dot products of ±1 vectors: <a, w> = n - 2 * popcount(a XOR w).
 * `xnorGemm` scores solutions through the fastest backend that starts here (src/xnor/);
 * `xnorDot` and `xnorGemmReference` are the plain, obviously correct versions that every
 * backend is tested against.
 */
import { popcount32, type PackedMatrix } from '../core/bits.js';
import { defaultXnorBackend } from './index.js';

/** <a, b> for two packed ±1 vectors of `bits` entries. */
export function xnorDot(a: Uint32Array, b: Uint32Array, bits: number, aOffset = 0, bOffset = 0): number {
  const words = Math.ceil(bits / 32);
  let differing = 0;
  for (let k = 0; k < words; k++) differing += popcount32(a[aOffset + k]! ^ b[bOffset + k]!);
  return bits - 2 * differing;
}

/** All dot products of the rows of A with the rows of B: out[i * B.rows + j] = <A_i, B_j>. */
export function xnorGemm(A: PackedMatrix, B: PackedMatrix, out?: Int32Array): Int32Array {
  return defaultXnorBackend().gemm(A, B, out);
}

/** xnorGemm one dot product at a time: the reference for the backends. */
export function xnorGemmReference(A: PackedMatrix, B: PackedMatrix, out = new Int32Array(A.rows * B.rows)): Int32Array {
  if (A.bits !== B.bits) throw new RangeError(`xnorGemm: A has ${A.bits}-bit rows, B has ${B.bits}-bit rows`);
  for (let i = 0; i < A.rows; i++) {
    for (let j = 0; j < B.rows; j++) {
      out[i * B.rows + j] = xnorDot(A.data, B.data, A.bits, i * A.words, j * B.words);
    }
  }
  return out;
}
