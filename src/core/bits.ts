/**
 * Bit packing of ±1 vectors: bit j of word floor(j/32) is 1 where the entry is +1. Padding bits
 * past the length are 0 in every packed vector, so they cancel under XOR and never need masking.
 */

/** A rows x bits matrix of ±1 entries, each row packed into `words` 32-bit words. */
export interface PackedMatrix {
  readonly rows: number;
  readonly bits: number;
  readonly words: number;
  readonly data: Uint32Array;
}

export function wordsFor(bits: number): number {
  return Math.ceil(bits / 32);
}

/** Packs a ±1 vector (anything >= 0 counts as +1). */
export function packSigns(v: ArrayLike<number>, out = new Uint32Array(wordsFor(v.length)), offset = 0): Uint32Array {
  const words = wordsFor(v.length);
  out.fill(0, offset, offset + words);
  for (let j = 0; j < v.length; j++) {
    if (v[j]! >= 0) out[offset + (j >>> 5)]! |= 1 << (j & 31);
  }
  return out;
}

export function unpackSigns(packed: Uint32Array, bits: number, offset = 0): Int8Array {
  const v = new Int8Array(bits);
  for (let j = 0; j < bits; j++) v[j] = (packed[offset + (j >>> 5)]! >>> (j & 31)) & 1 ? 1 : -1;
  return v;
}

/** Packs `rows` ±1 row vectors of length `bits` stored row-major in `values`. */
export function packRows(values: ArrayLike<number>, rows: number, bits: number): PackedMatrix {
  if (values.length !== rows * bits) throw new RangeError(`packRows: ${values.length} values for ${rows} x ${bits}`);
  const words = wordsFor(bits);
  const data = new Uint32Array(rows * words);
  for (let r = 0; r < rows; r++) {
    const base = r * bits;
    for (let j = 0; j < bits; j++) {
      if (values[base + j]! >= 0) data[r * words + (j >>> 5)]! |= 1 << (j & 31);
    }
  }
  return { rows, bits, words, data };
}

/** Number of set bits of a 32-bit word (SWAR: no table, no loop). */
export function popcount32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}
