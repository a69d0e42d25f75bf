/**
 * Binary weight vectors. In memory a vector in {-1,+1}^n is an Int8Array of ±1; in results and
 * files it is a string of '+' and '-' (one character per weight, readable and diffable).
 */
export type Signs = Int8Array;

export function signsToString(w: ArrayLike<number>): string {
  let s = '';
  for (let i = 0; i < w.length; i++) s += w[i]! > 0 ? '+' : '-';
  return s;
}

export function signsFromString(text: string): Signs {
  const w = new Int8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '+') w[i] = 1;
    else if (ch === '-') w[i] = -1;
    else throw new RangeError(`weights string has '${ch}' at position ${i}; expected '+' or '-'`);
  }
  return w;
}

/** sign(x) with sign(0) = +1, so that every real vector maps to a vertex of the hypercube. */
export function signOf(x: ArrayLike<number>, out: Signs = new Int8Array(x.length)): Signs {
  for (let i = 0; i < x.length; i++) out[i] = x[i]! >= 0 ? 1 : -1;
  return out;
}

export function randomSigns(n: number, rng: { sign(): 1 | -1 }): Signs {
  const w = new Int8Array(n);
  for (let i = 0; i < n; i++) w[i] = rng.sign();
  return w;
}

export function isSigns(w: ArrayLike<number>, n: number): boolean {
  if (w.length !== n) return false;
  for (let i = 0; i < n; i++) if (w[i] !== 1 && w[i] !== -1) return false;
  return true;
}
