/**
 * The `js` backend: Uint32Array words and a SWAR popcount, in plain JavaScript. Same arithmetic
 * as the reference in src/xnor.ts, written for speed: the row of A is held while B streams past,
 * and the popcount is inlined (a call per word costs more than the popcount itself).
 */
import type { PackedMatrix } from '../core/bits.js';
import { checkShapes, type XnorBackend } from './backend.js';

export function jsGemm(A: PackedMatrix, B: PackedMatrix, out?: Int32Array): Int32Array {
  const result = checkShapes(A, B, out, 'js gemm');
  const { words, bits } = A;
  const a = A.data;
  const b = B.data;
  const n = B.rows;
  for (let i = 0; i < A.rows; i++) {
    const ia = i * words;
    for (let j = 0; j < n; j++) {
      const jb = j * words;
      let differing = 0;
      for (let k = 0; k < words; k++) {
        let x = a[ia + k]! ^ b[jb + k]!;
        x = x - ((x >>> 1) & 0x55555555);
        x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
        x = (x + (x >>> 4)) & 0x0f0f0f0f;
        differing += Math.imul(x, 0x01010101) >>> 24;
      }
      result[i * n + j] = bits - 2 * differing;
    }
  }
  return result;
}

export const jsBackend: XnorBackend = { name: 'js', gemm: jsGemm };
