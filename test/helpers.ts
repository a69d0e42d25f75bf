/** Independent reference computations for tests: written plainly, sharing no code with src/. */
import type { Problem } from '../src/core/problem.js';

/** All 2^n sign vectors by plain recursion; returns the minimum loss and one minimiser. */
export function bruteForceMin(problem: Problem): { value: number; w: Int8Array } {
  const n = problem.n;
  const w = new Int8Array(n);
  let best = { value: Infinity, w: new Int8Array(n) };
  const visit = (i: number) => {
    if (i === n) {
      const v = problem.loss(w);
      if (v < best.value) best = { value: v, w: Int8Array.from(w) };
      return;
    }
    for (const s of [-1, 1]) {
      w[i] = s;
      visit(i + 1);
    }
  };
  visit(0);
  return best;
}

export function plainDot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

export function randomPm1(n: number, random: () => number): Int8Array {
  return Int8Array.from({ length: n }, () => (random() < 0.5 ? -1 : 1));
}

/** Mulberry32: a tiny generator for test inputs, independent of src/rng.ts. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function relClose(a: number, b: number, tol = 1e-9): boolean {
  return Math.abs(a - b) <= tol * Math.max(1, Math.abs(a), Math.abs(b));
}
