import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { amdOrder } from '../src/numerics/ordering.js';
import { analyse, denseSymbolic, factorise, patternOf, type SymbolicFactor } from '../src/numerics/sparse-cholesky.js';
import { analysePsd, provePsd } from '../src/numerics/psd-proof.js';
import { provePositiveDefinite } from '../src/numerics/cholesky.js';
import { symCsrFromTriplets } from '../src/numerics/csr.js';
import { UserError } from '../src/core/errors.js';
import type { SymCsr } from '../src/core/sym-csr.js';
import { adjacencyPlusDiag, dualSlackLike, randomGraph, signedLaplacian, torusGraph } from './psd-proof-instances.js';
import { Rng } from '../src/numerics/rng.js';

function dense(A: SymCsr): Matrix {
  const M = Matrix.zeros(A.n, A.n);
  for (let i = 0; i < A.n; i++) {
    M.set(i, i, A.diag[i]!);
    for (let p = A.rowPtr[i]!; p < A.rowPtr[i + 1]!; p++) M.set(i, A.col[p]!, A.val[p]!);
  }
  return M;
}

function spectrum(A: SymCsr): { min: number; scale: number } {
  const ev = new EigenvalueDecomposition(dense(A), { assumeSymmetric: true }).realEigenvalues;
  let min = Infinity;
  let scale = 0;
  for (const e of ev) {
    min = Math.min(min, e);
    scale = Math.max(scale, Math.abs(e));
  }
  return { min, scale: Math.max(scale, 1e-300) };
}

/** Structure of L by plain dense symbolic elimination of P A P' (the reference for the counts). */
function bruteForceCounts(A: SymCsr, perm: Int32Array): { rowCount: number[]; colCount: number[] } {
  const n = A.n;
  const pinv = new Int32Array(n);
  for (let k = 0; k < n; k++) pinv[perm[k]!] = k;
  const nz: boolean[][] = Array.from({ length: n }, () => new Array<boolean>(n).fill(false));
  for (let i = 0; i < n; i++) {
    for (let p = A.rowPtr[i]!; p < A.rowPtr[i + 1]!; p++) nz[pinv[i]!]![pinv[A.col[p]!]!] = true;
  }
  for (let k = 0; k < n; k++) {
    const below: number[] = [];
    for (let i = k + 1; i < n; i++) if (nz[i]![k]) below.push(i);
    for (const i of below) for (const j of below) if (i !== j) nz[i]![j] = true;
  }
  const rowCount = new Array<number>(n).fill(1);
  const colCount = new Array<number>(n).fill(1);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      if (nz[i]![j]) {
        rowCount[i]!++;
        colCount[j]!++;
      }
    }
  }
  return { rowCount, colCount };
}

/** max |(L L')_ij - (P (A + Diag(d)) P')_ij| from a kept factor, and the largest |entry| of the matrix. */
function reconstructionError(A: SymCsr, sym: SymbolicFactor, d: Float64Array): { err: number; scale: number } {
  const n = A.n;
  const res = factorise(sym, { rowPtr: A.rowPtr, col: A.col, val: A.val, diag: d }, true);
  expect(res.ok).toBe(true);
  const L = Matrix.zeros(n, n);
  const { rows, blocks } = res.factor!;
  for (let s = 0; s < rows.length; s++) {
    const f = sym.superStart[s]!;
    const nc = sym.superStart[s + 1]! - f;
    for (let r = 0; r < rows[s]!.length; r++) {
      for (let c = 0; c < nc; c++) if (rows[s]![r]! >= f + c) L.set(rows[s]![r]!, f + c, blocks[s]![r * nc + c]!);
    }
  }
  const LLt = L.mmul(L.transpose());
  let err = 0;
  let scale = 0;
  const M = dense(A);
  for (let i = 0; i < n; i++) M.set(i, i, d[i]!);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const a = M.get(sym.perm[i]!, sym.perm[j]!);
      err = Math.max(err, Math.abs(LLt.get(i, j) - a));
      scale = Math.max(scale, Math.abs(a));
    }
  }
  return { err, scale };
}

const families: [string, () => SymCsr][] = [
  ['random graph, +-1 weights, random diagonal', () => {
    const g = randomGraph(150, 400, 1, true);
    const rng = new Rng(2, 'diag');
    return adjacencyPlusDiag(g, Array.from({ length: g.n }, () => rng.normal()));
  }],
  ['toroidal grid 12 x 15, +-1 weights (G11 style)', () => dualSlackLike(torusGraph(12, 15, 3, true), 4, 0.05)],
  ['G-set-like Laplacian minus diagonal (random graph, weights 1)', () => dualSlackLike(randomGraph(200, 500, 5, false), 6, 0.02)],
  ['signed Laplacian of a random graph (psd, integer)', () => signedLaplacian(randomGraph(120, 300, 7, true))],
  ['denser random graph (fill makes it nearly dense)', () => {
    const g = randomGraph(120, 1500, 8, true);
    return adjacencyPlusDiag(g, new Float64Array(g.n));
  }],
];

describe('symbolic analysis', () => {
  it('AMD returns a permutation and cuts the fill of a grid well below the natural order', () => {
    const A = dualSlackLike(torusGraph(20, 20, 1, false), 1, 0);
    const perm = amdOrder(patternOf(A.n, A.rowPtr, A.col));
    expect(new Set(perm).size).toBe(A.n);
    const amd = analyse(patternOf(A.n, A.rowPtr, A.col));
    const natural = analyse(patternOf(A.n, A.rowPtr, A.col), { ordering: 'natural' });
    expect(amd.nnzL).toBeLessThan(0.6 * natural.nnzL);
  });

  for (const [name, make] of families) {
    it(`row and column counts match dense symbolic elimination: ${name}`, () => {
      const A = make();
      const sym = analyse(patternOf(A.n, A.rowPtr, A.col));
      const ref = bruteForceCounts(A, sym.perm);
      expect(Array.from(sym.rowCount)).toEqual(ref.rowCount);
      expect(Array.from(sym.colCount)).toEqual(ref.colCount);
      expect(sym.nnzL).toBe(ref.colCount.reduce((a, b) => a + b, 0));
      expect(sym.maxRowCount).toBe(Math.max(...ref.rowCount));
      // supernode blocks cover every column once, and hold at least the true structure
      expect(sym.superStart[0]).toBe(0);
      expect(sym.superStart[sym.superStart.length - 1]).toBe(A.n);
      for (let s = 0; s + 1 < sym.superStart.length; s++) expect(sym.superRows[s]).toBeGreaterThanOrEqual(sym.colCount[sym.superStart[s]!]!);
    });
  }
});

describe('numeric factorisation', () => {
  for (const [name, make] of families) {
    it(`L L' reproduces P (A + sigma I) P' (sparse and dense layouts): ${name}`, () => {
      const A = make();
      const { min, scale } = spectrum(A);
      const d = Float64Array.from(A.diag, (x) => x - min + 0.1 * scale);
      for (const sym of [analyse(patternOf(A.n, A.rowPtr, A.col)), denseSymbolic(patternOf(A.n, A.rowPtr, A.col))]) {
        const { err, scale: s } = reconstructionError(A, sym, d);
        expect(err).toBeLessThan(1e-12 * Math.max(1, s) * A.n);
      }
    });
  }
});

describe('provePsd against dense eigenvalues', () => {
  for (const [name, make] of families) {
    it(`proves just above -lambda_min and never just below: ${name}`, () => {
      const A = make();
      const { min, scale } = spectrum(A);
      for (const method of ['sparse', 'dense'] as const) {
        for (const rel of [1e-6, 1e-8]) {
          const above = provePsd(A, -min + rel * scale, { method });
          expect(above.proven, `${method} ${rel} above: ${above.reason}`).toBe(true);
          expect(above.roundingShift).toBeGreaterThan(0);
          expect(above.roundingShift).toBeLessThan(rel * scale);
          const below = provePsd(A, -min - rel * scale, { method });
          expect(below.proven).toBe(false);
          expect(below.reason).toMatch(/not positive/);
        }
      }
      // the independent dense Rump proof (src/numerics/cholesky.ts) agrees on both sides
      const M = dense(A).to1DArray();
      expect(provePositiveDefinite(Float64Array.from(M), A.n, -min + 1e-6 * scale)).toBe(true);
      expect(provePositiveDefinite(Float64Array.from(M), A.n, -min - 1e-6 * scale)).toBe(false);
    });
  }

  it('a singular Laplacian is not proven positive definite at shift 0, and is at a small positive shift', () => {
    const A = signedLaplacian(randomGraph(80, 200, 11, false));
    expect(provePsd(A, 0).proven).toBe(false);
    expect(provePsd(A, 1e-9).proven).toBe(true);
  });

  it('where a plain Cholesky at the asked shift lies (exactly singular Laplacians minus eps I), provePsd refuses', () => {
    let naiveSucceeded = 0;
    for (let seed = 1; seed <= 12; seed++) {
      // dyadic weights: the degree sums are exact, so L 1 = 0 exactly and lambda_min(L - eps I) = -eps
      const g = randomGraph(60, 200, seed, false);
      const rng = new Rng(seed, 'dyadic');
      const r: number[] = [];
      const c: number[] = [];
      const v: number[] = [];
      const deg = new Float64Array(g.n);
      for (let e = 0; e < g.u.length; e++) {
        const w = (1 + rng.int(1 << 20)) / 1024;
        r.push(g.u[e]!), c.push(g.v[e]!), v.push(-w);
        deg[g.u[e]!]! += w;
        deg[g.v[e]!]! += w;
      }
      for (let i = 0; i < g.n; i++) r.push(i), c.push(i), v.push(deg[i]!);
      const L = symCsrFromTriplets(g.n, r, c, v);
      const sym = analyse(patternOf(L.n, L.rowPtr, L.col));
      for (const eps of [1e-15, 1e-13]) {
        const naive = factorise(sym, { rowPtr: L.rowPtr, col: L.col, val: L.val, diag: Float64Array.from(L.diag, (x) => x - eps) });
        if (naive.ok) naiveSucceeded++;
        expect(provePsd(L, -eps).proven).toBe(false);
      }
    }
    // the hazard is real on this family (measured: about half of the runs)
    expect(naiveSucceeded).toBeGreaterThan(0);
  });

  it('the sparse factor of a torus is far smaller than the dense one, and its rounding shift too', () => {
    const A = dualSlackLike(torusGraph(24, 24, 2, true), 3, 0.05);
    // a Gershgorin shift (clearly positive definite): this test is about sizes, not tightness
    let shift = 0;
    for (let i = 0; i < A.n; i++) {
      let r = 0;
      for (let p = A.rowPtr[i]!; p < A.rowPtr[i + 1]!; p++) r += Math.abs(A.val[p]!);
      shift = Math.max(shift, r - A.diag[i]! + 0.1);
    }
    const sparse = provePsd(A, shift, { method: 'sparse' });
    const denseProof = provePsd(A, shift, { method: 'dense' });
    expect(sparse.method).toBe('sparse-cholesky');
    expect(denseProof.method).toBe('dense-cholesky');
    expect(sparse.proven && denseProof.proven).toBe(true);
    expect(sparse.nnzL).toBeLessThan(0.1 * denseProof.nnzL);
    expect(sparse.bytes).toBeLessThan(0.1 * denseProof.bytes);
    expect(sparse.roundingShift).toBeLessThan(0.5 * denseProof.roundingShift);
  });

  it('never proven when lambda_min(A + shift I) < 0 (randomised, against dense eigenvalues)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 28 }),
        fc.double({ min: 0.02, max: 0.6, noNaN: true }),
        fc.integer({ min: 0, max: 2 ** 30 }),
        fc.constantFrom(-1e-3, -1e-7, -1e-10, 1e-10, 1e-7, 1e-3),
        fc.constantFrom('auto', 'sparse', 'dense'),
        fc.boolean(),
        fc.boolean(),
        (n, density, seed, rel, method, integer, badlyScaled) => {
          const rng = new Rng(seed, 'prop');
          // D A D with D_ii = 10^U(-3, 3): pivots over twelve orders of magnitude
          const scaleOf = Array.from({ length: n }, () => (badlyScaled ? 10 ** (6 * rng.float() - 3) : 1));
          const r: number[] = [];
          const c: number[] = [];
          const v: number[] = [];
          for (let i = 0; i < n; i++) {
            for (let j = i + 1; j < n; j++) {
              if (rng.float() < density) r.push(i), c.push(j), v.push((integer ? rng.int(5) - 2 || 1 : rng.normal()) * scaleOf[i]! * scaleOf[j]!);
            }
            r.push(i), c.push(i), v.push((integer ? rng.int(7) - 3 : rng.normal()) * scaleOf[i]! * scaleOf[i]!);
          }
          const A = symCsrFromTriplets(n, r, c, v);
          const { min, scale: s } = spectrum(A);
          const scale = Math.max(s, badlyScaled ? 1e-6 : 1);
          const shift = -min + rel * scale;
          const proof = provePsd(A, shift, { method: method as 'auto' | 'sparse' | 'dense' });
          // dense eigenvalues are accurate to ~1e-15 scale; the offsets are far larger
          if (rel < 0) expect(proof.proven).toBe(false);
          if (rel >= 1e-7) expect(proof.proven).toBe(true);
          if (proof.proven) expect(min + shift).toBeGreaterThan(0);
        },
      ),
      { numRuns: 600, seed: 20261201 },
    );
  });
});

describe('provePsd options and bad input', () => {
  const A = dualSlackLike(randomGraph(60, 150, 9, true), 1, 0.1);

  it('diagonalRounded reserves 2u max |A_jj| more and still proves just above -lambda_min', () => {
    const { min, scale } = spectrum(A);
    const plain = provePsd(A, -min + 1e-6 * scale);
    const rounded = provePsd(A, -min + 1e-6 * scale, { diagonalRounded: true });
    expect(plain.proven && rounded.proven).toBe(true);
    let maxAbs = 0;
    for (const d of A.diag) maxAbs = Math.max(maxAbs, Math.abs(d));
    expect(rounded.roundingShift - plain.roundingShift).toBeGreaterThanOrEqual(3.9 * 2 ** -53 * maxAbs);
  });

  it('refuses above the memory cap, before factoring, with the bytes it would need', () => {
    const proof = provePsd(A, 10, { maxBytes: 1000 });
    expect(proof.proven).toBe(false);
    expect(proof.reason).toMatch(/MB .*over the 0\.0 MB cap/);
    expect(proof.bytes).toBeGreaterThan(1000);
  });

  it('auto picks the dense layout for a dense matrix and the sparse one for a grid', () => {
    const g = randomGraph(40, 700, 3, true);
    expect(provePsd(adjacencyPlusDiag(g, new Float64Array(40).fill(50)), 0).method).toBe('dense-cholesky');
    expect(provePsd(dualSlackLike(torusGraph(10, 10, 1, true), 1, 0), 5).method).toBe('sparse-cholesky');
  });

  it('reuses a symbolic factor for another diagonal and refuses one analysed for another pattern', () => {
    const sym = analysePsd(A);
    const B: SymCsr = { ...A, diag: Float64Array.from(A.diag, (x) => x + 3) };
    const { min, scale } = spectrum(B);
    expect(provePsd(B, -min + 1e-6 * scale, { symbolic: sym }).proven).toBe(true);
    expect(provePsd(B, -min - 1e-6 * scale, { symbolic: sym }).proven).toBe(false);
    const other = dualSlackLike(randomGraph(60, 150, 10, true), 1, 0.1);
    expect(() => provePsd(other, 1, { symbolic: sym })).toThrow(/another pattern/);
  });

  it('rejects asymmetric, non-finite and repeated entries and a non-finite shift with one-line UserErrors', () => {
    const asym: SymCsr = { ...A, val: Float64Array.from(A.val, (x, p) => (p === 0 ? x + 1 : x)) };
    expect(() => provePsd(asym, 1)).toThrow(/not symmetric/);
    const nan: SymCsr = { ...A, diag: Float64Array.from(A.diag, (x, i) => (i === 3 ? Number.NaN : x)) };
    expect(() => provePsd(nan, 1)).toThrow(UserError);
    const rep: SymCsr = { n: 2, diag: new Float64Array([1, 1]), rowPtr: Int32Array.from([0, 2, 4]), col: Int32Array.from([1, 1, 0, 0]), val: new Float64Array([0.1, 0.1, 0.1, 0.1]) };
    expect(() => provePsd(rep, 1)).toThrow(/repeated entry/);
    expect(() => provePsd(A, Number.POSITIVE_INFINITY)).toThrow(/shift is Infinity/);
    for (const bad of [asym, nan, rep]) {
      try {
        provePsd(bad, 1);
      } catch (e) {
        expect(e).toBeInstanceOf(UserError);
        expect((e as Error).message).not.toMatch(/\n/);
      }
    }
  });
});
