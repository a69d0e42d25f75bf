/**
 * Sparse Cholesky factorisation L L' = P (A + Diag) P' of a symmetric matrix, in two phases:
 *
 * - analyse: a fill-reducing ordering (AMD, src/numerics/ordering.ts), the elimination tree and
 *   its postorder, and the row and column counts of L by walking each row's subtree (Liu 1986,
 *   "A compact row storage scheme for Cholesky factors", in O(nnz(L)) time and O(n) memory), then
 *   the fundamental supernodes (columns with nested identical structure). This gives the exact
 *   number of bytes the numeric phase will allocate before it allocates anything, and the row
 *   counts that the rounding-error bound of src/numerics/psd-proof.ts needs.
 * - factorise: left-looking supernodal numeric factorisation on Float64Arrays. Each supernode is
 *   a dense block (rows of its structure x its columns, row-major); the descendants that update
 *   it are found with the linked lists of Ng & Peyton (1993), and the block is factored in
 *   column panels so that the rows of a panel stay in cache while the rest stream past.
 *
 * A dense factorisation is the same code with one supernode holding every column (denseSymbolic):
 * one implementation of the numeric kernel for both methods.
 *
 * What the rounding analysis needs from this file: every computed entry is
 *   l_ij = (a_ij - sum_k l_ik l_jk) * (1 / l_jj),  l_jj = sqrt(a_jj - sum_k l_jk^2),
 * where the sum runs over (a subset of) the structural nonzeros k < j of row j of L, evaluated in
 * some order (panel partial sums, one partial sum per descendant supernode): a summation tree
 * with at most rowCount[j] leaves, including a_ij. Explicit zeros of the structure contribute
 * exact zeros. See psd-proof.ts for the bound this gives.
 */
import { amdOrder, type Pattern } from './ordering.js';

export interface SymbolicFactor {
  readonly n: number;
  /** perm[k] = original index of the k-th pivot */
  readonly perm: Int32Array;
  /** pinv[original] = pivot position */
  readonly pinv: Int32Array;
  /** elimination tree of the permuted matrix (-1 for a root) */
  readonly parent: Int32Array;
  /** nonzeros in column j of L, diagonal included */
  readonly colCount: Int32Array;
  /** nonzeros in row j of L, diagonal included: the length of the inner products for row j */
  readonly rowCount: Int32Array;
  /** supernode s holds columns superStart[s] .. superStart[s+1]-1 */
  readonly superStart: Int32Array;
  /** rows of supernode s's block: its columns and the rows below them (explicit zeros included) */
  readonly superRows: Int32Array;
  /** nnz(L), diagonal included */
  readonly nnzL: number;
  /** multiply-adds of the numeric factorisation, sum_j colCount[j]^2 / 2 (approximately) */
  readonly flops: number;
  /** bytes the numeric factorisation allocates at most (supernode blocks, row indices, workspace) */
  readonly bytes: number;
  readonly maxRowCount: number;
  /** whether this is the single-supernode dense layout */
  readonly dense: boolean;
  /** the permuted pattern: column j's neighbours (both triangles) */
  readonly pattern: Pattern;
}

/** The symmetric pattern of a matrix given by rows of off-diagonal column indices. */
export function patternOf(n: number, rowPtr: Int32Array, col: Int32Array): Pattern {
  return { n, ptr: rowPtr, adj: col };
}

/** Pattern of P A P' for perm[k] = original index of new node k. */
function permutePattern(g: Pattern, perm: Int32Array, pinv: Int32Array): Pattern {
  const n = g.n;
  const ptr = new Int32Array(n + 1);
  for (let k = 0; k < n; k++) ptr[k + 1] = ptr[k]! + (g.ptr[perm[k]! + 1]! - g.ptr[perm[k]!]!);
  const adj = new Int32Array(ptr[n]!);
  for (let k = 0; k < n; k++) {
    const r = perm[k]!;
    let q = ptr[k]!;
    for (let p = g.ptr[r]!; p < g.ptr[r + 1]!; p++) adj[q++] = pinv[g.adj[p]!]!;
  }
  return { n, ptr, adj };
}

/** Elimination tree (Liu's algorithm with path compression) of a symmetric pattern. */
export function eliminationTree(g: Pattern): Int32Array {
  const n = g.n;
  const parent = new Int32Array(n).fill(-1);
  const ancestor = new Int32Array(n).fill(-1);
  for (let k = 0; k < n; k++) {
    for (let p = g.ptr[k]!; p < g.ptr[k + 1]!; p++) {
      let i = g.adj[p]!;
      while (i !== -1 && i < k) {
        const next = ancestor[i]!;
        ancestor[i] = k;
        if (next === -1) parent[i] = k;
        i = next;
      }
    }
  }
  return parent;
}

/** post[k] = the k-th node of a depth-first postorder of the forest (children in index order). */
export function postorder(parent: Int32Array): Int32Array {
  const n = parent.length;
  const head = new Int32Array(n).fill(-1);
  const next = new Int32Array(n).fill(-1);
  for (let j = n - 1; j >= 0; j--) {
    const p = parent[j]!;
    if (p === -1) continue;
    next[j] = head[p]!;
    head[p] = j;
  }
  const post = new Int32Array(n);
  const stack = new Int32Array(n);
  let k = 0;
  for (let root = 0; root < n; root++) {
    if (parent[root] !== -1) continue;
    let top = 0;
    stack[0] = root;
    while (top >= 0) {
      const j = stack[top]!;
      const child = head[j]!;
      if (child === -1) {
        top--;
        post[k++] = j;
      } else {
        head[j] = next[child]!;
        stack[++top] = child;
      }
    }
  }
  return post;
}

export interface AnalyseOptions {
  /** 'amd' (default) or 'natural' (the given order, still postordered) */
  ordering?: 'amd' | 'natural';
}

/** Symbolic analysis of a symmetric pattern (see the file comment). O(nnz(L)) time, O(n + nnz(A)) memory. */
export function analyse(g: Pattern, options: AnalyseOptions = {}): SymbolicFactor {
  const n = g.n;
  let perm = options.ordering === 'natural' ? Int32Array.from({ length: n }, (_, i) => i) : amdOrder(g);
  let pinv = inverse(perm);
  let pg = permutePattern(g, perm, pinv);
  let parent = eliminationTree(pg);
  // postorder: the same fill, with every subtree (so every supernode) contiguous
  const post = postorder(parent);
  const postInv = inverse(post);
  const parent2 = new Int32Array(n);
  for (let j = 0; j < n; j++) parent2[postInv[j]!] = parent[j] === -1 ? -1 : postInv[parent[j]!]!;
  parent = parent2;
  perm = Int32Array.from(post, (j) => perm[j]!);
  pinv = inverse(perm);
  pg = permutePattern(g, perm, pinv);

  // row and column counts: row k of L is the union of the tree paths from each i < k adjacent to k up to k
  const colCount = new Int32Array(n).fill(1);
  const rowCount = new Int32Array(n).fill(1);
  const mark = new Int32Array(n).fill(-1);
  for (let k = 0; k < n; k++) {
    mark[k] = k;
    for (let p = pg.ptr[k]!; p < pg.ptr[k + 1]!; p++) {
      let i = pg.adj[p]!;
      if (i > k) continue;
      while (mark[i] !== k) {
        mark[i] = k;
        colCount[i]!++;
        rowCount[k]!++;
        i = parent[i]!;
      }
    }
  }
  const childCount = new Int32Array(n);
  for (let j = 0; j < n; j++) if (parent[j]! >= 0) childCount[parent[j]!]!++;
  const starts: number[] = [0];
  for (let j = 1; j < n; j++) {
    const joins = parent[j - 1] === j && colCount[j - 1] === colCount[j]! + 1 && childCount[j] === 1;
    if (!joins) starts.push(j);
  }
  if (n > 0) starts.push(n);
  const { superStart, superRows } = amalgamate(Int32Array.from(starts), parent, colCount);
  return finishSymbolic(n, perm, pinv, parent, colCount, rowCount, superStart, superRows, pg, false);
}

/**
 * Relaxed supernodes (Ashcraft & Grimes 1989): a supernode absorbs the supernode just before it
 * in postorder when that one is its child and the explicit zeros this adds stay few, with the
 * thresholds CHOLMOD uses by default (at most 4 columns: always; 16: zeros < 80%; 48: < 10%;
 * any size: < 5%). Fewer, larger blocks make the dense kernels do the work: on a random graph of
 * G55's size the fundamental supernodes left a nearly dense tail cut into hundreds of pieces.
 * The stored zeros stay exactly zero in the factorisation (a product with an exact zero is an
 * exact zero, and adding it is exact), so the rounding analysis keeps the exact row counts.
 */
function amalgamate(fundamental: Int32Array, parent: Int32Array, colCount: Int32Array): { superStart: Int32Array; superRows: Int32Array } {
  const ns = fundamental.length - 1;
  const outStart: number[] = [];
  const outEnd: number[] = [];
  const outRows: number[] = [];
  /** stored entries minus true nonzeros, and true nonzeros, of each output supernode */
  const outZeros: number[] = [];
  const outNnz: number[] = [];
  for (let s = 0; s < ns; s++) {
    let f = fundamental[s]!;
    const l = fundamental[s + 1]!;
    let rows = colCount[f]!;
    let nnz = 0;
    for (let j = f; j < l; j++) nnz += colCount[j]!;
    let zeros = 0;
    // try to absorb the previous output supernodes while they are children of this one
    while (outStart.length > 0) {
      const m = outStart.length - 1;
      const lastCol = outEnd[m]! - 1;
      const p = parent[lastCol]!;
      if (p < f || p >= l) break;
      const ncols = l - outStart[m]!;
      const newRows = rows + (outEnd[m]! - outStart[m]!);
      const stored = ncols * newRows - (ncols * (ncols - 1)) / 2;
      const totalNnz = nnz + outNnz[m]!;
      const newZeros = stored - totalNnz;
      const frac = newZeros / stored;
      const merge = ncols <= 4 || (ncols <= 16 && frac < 0.8) || (ncols <= 48 && frac < 0.1) || frac < 0.05;
      if (!merge) break;
      f = outStart[m]!;
      rows = newRows;
      nnz = totalNnz;
      zeros = newZeros;
      outStart.pop();
      outEnd.pop();
      outRows.pop();
      outZeros.pop();
      outNnz.pop();
    }
    outStart.push(f);
    outEnd.push(l);
    outRows.push(rows);
    outZeros.push(zeros);
    outNnz.push(nnz);
  }
  const superStart = new Int32Array(outStart.length + 1);
  for (let s = 0; s < outStart.length; s++) superStart[s] = outStart[s]!;
  if (outStart.length > 0) superStart[outStart.length] = outEnd[outEnd.length - 1]!;
  return { superStart, superRows: Int32Array.from(outRows) };
}

/** The dense layout: natural order, one supernode, row j of L has j + 1 entries. */
export function denseSymbolic(g: Pattern): SymbolicFactor {
  const n = g.n;
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  const parent = Int32Array.from({ length: n }, (_, i) => (i + 1 < n ? i + 1 : -1));
  const colCount = Int32Array.from({ length: n }, (_, j) => n - j);
  const rowCount = Int32Array.from({ length: n }, (_, j) => j + 1);
  return finishSymbolic(n, perm, perm, parent, colCount, rowCount, Int32Array.from(n > 0 ? [0, n] : [0]), Int32Array.from(n > 0 ? [n] : []), g, true);
}

function finishSymbolic(
  n: number,
  perm: Int32Array,
  pinv: Int32Array,
  parent: Int32Array,
  colCount: Int32Array,
  rowCount: Int32Array,
  superStart: Int32Array,
  superRows: Int32Array,
  pattern: Pattern,
  dense: boolean,
): SymbolicFactor {
  let nnzL = 0;
  let flops = 0;
  let maxRowCount = 0;
  for (let j = 0; j < n; j++) {
    nnzL += colCount[j]!;
    flops += (colCount[j]! * (colCount[j]! + 1)) / 2;
    maxRowCount = Math.max(maxRowCount, rowCount[j]!);
  }
  let blockDoubles = 0;
  let rowIndices = 0;
  const ns = superStart.length - 1;
  for (let s = 0; s < ns; s++) {
    const f = superStart[s]!;
    const cols = superStart[s + 1]! - f;
    blockDoubles += superRows[s]! * cols;
    rowIndices += superRows[s]!;
  }
  // blocks + their row indices + about a dozen n-length Int32 work arrays + psd-proof's three
  // n-length Float64 vectors + its symmetry check's transposed copy of A (12 bytes a nonzero)
  const bytes = 8 * blockDoubles + 4 * rowIndices + 4 * 12 * n + 8 * 4 * n + 12 * pattern.adj.length;
  return { n, perm, pinv, parent, colCount, rowCount, superStart, superRows, nnzL, flops, bytes, maxRowCount, dense, pattern };
}

function inverse(perm: Int32Array): Int32Array {
  const inv = new Int32Array(perm.length);
  for (let k = 0; k < perm.length; k++) inv[perm[k]!] = k;
  return inv;
}

/** The matrix to factor, in the original numbering: off-diagonal rows as in SymCsr, and the diagonal to use. */
export interface NumericInput {
  readonly rowPtr: Int32Array;
  readonly col: Int32Array;
  readonly val: Float64Array;
  /** the exact diagonal entries of the matrix that is factored */
  readonly diag: Float64Array;
}

export interface NumericResult {
  /** true when every pivot was positive and finite */
  ok: boolean;
  /** the pivot position (in the permuted order) where it stopped, when not ok */
  failedAt?: number;
  /** the original index of that pivot */
  failedIndex?: number;
  /** smallest computed pivot l_jj^2 seen (the failing one when not ok) */
  minPivot: number;
  /** with keep: each supernode's rows and block (row-major rows x columns), for checks */
  factor?: { rows: Int32Array[]; blocks: Float64Array[] };
}

const PANEL = 48;

/**
 * Numeric factorisation of P (offdiag + Diag(diag)) P' with the structure of `sym`. Only
 * the entries (i, j) with pinv[i] > pinv[j] of the off-diagonal part are read: the caller
 * guarantees symmetry. The factor itself is not kept: a supernode's block is dropped as soon
 * as it has updated its last ancestor, so the peak is at most sym.bytes.
 */
export function factorise(sym: SymbolicFactor, input: NumericInput, keep = false): NumericResult {
  const { n, perm, pinv, parent, superStart, superRows } = sym;
  const ns = superStart.length - 1;
  const snode = new Int32Array(n);
  for (let s = 0; s < ns; s++) for (let j = superStart[s]!; j < superStart[s + 1]!; j++) snode[j] = s;
  // children of each supernode in the supernodal tree (for the row structures)
  const childHead = new Int32Array(ns).fill(-1);
  const childNext = new Int32Array(ns).fill(-1);
  for (let s = ns - 1; s >= 0; s--) {
    const last = superStart[s + 1]! - 1;
    const p = parent[last]!;
    if (p < 0) continue;
    const ps = snode[p]!;
    childNext[s] = childHead[ps]!;
    childHead[ps] = s;
  }
  const rows: (Int32Array | null)[] = new Array(ns).fill(null);
  const blocks: (Float64Array | null)[] = new Array(ns).fill(null);
  // descendants waiting to update supernode s: linked list through linkNext
  const linkHead = new Int32Array(ns).fill(-1);
  const linkNext = new Int32Array(ns).fill(-1);
  const nextPos = new Int32Array(ns);
  const rel = new Int32Array(n);
  const mark = new Int32Array(n).fill(-1);
  const invDiag = new Float64Array(n);
  let minPivot = Infinity;
  const kept = keep ? { rows: new Array<Int32Array>(ns), blocks: new Array<Float64Array>(ns) } : undefined;
  const { rowPtr, col, val, diag } = input;

  for (let s = 0; s < ns; s++) {
    const f = superStart[s]!;
    const l = superStart[s + 1]!;
    const nc = l - f;
    const nr = superRows[s]!;
    // row structure: the columns themselves, A's rows below, and the children's rows below
    let R: Int32Array;
    if (sym.dense) {
      R = Int32Array.from({ length: n }, (_, i) => i);
    } else {
      const list: number[] = [];
      for (let j = f; j < l; j++) mark[j] = s;
      for (let j = f; j < l; j++) {
        const orig = perm[j]!;
        for (let p = rowPtr[orig]!; p < rowPtr[orig + 1]!; p++) {
          const i = pinv[col[p]!]!;
          if (i >= l && mark[i] !== s) {
            mark[i] = s;
            list.push(i);
          }
        }
      }
      for (let c = childHead[s]!; c !== -1; c = childNext[c]!) {
        const Rc = rows[c]!;
        for (let q = 0; q < Rc.length; q++) {
          const i = Rc[q]!;
          if (i >= l && mark[i] !== s) {
            mark[i] = s;
            list.push(i);
          }
        }
      }
      list.sort((a, b) => a - b);
      if (list.length + nc !== nr) throw new Error(`factorise: supernode ${s} has ${list.length + nc} rows, symbolic said ${nr}`);
      R = new Int32Array(nr);
      for (let j = 0; j < nc; j++) R[j] = f + j;
      R.set(list, nc);
    }
    rows[s] = R;
    for (let q = 0; q < nr; q++) rel[R[q]!] = q;
    // assemble: lower-triangle entries of columns f..l-1 and their diagonal
    const B = new Float64Array(nr * nc);
    for (let j = f; j < l; j++) {
      const orig = perm[j]!;
      const cj = j - f;
      B[cj * nc + cj] = diag[orig]!;
      for (let p = rowPtr[orig]!; p < rowPtr[orig + 1]!; p++) {
        const i = pinv[col[p]!]!;
        if (i <= j) continue;
        // an entry outside the analysed structure means the symbolic factor is not this matrix's
        if (R[rel[i]!] !== i) throw new Error(`factorise: entry (${perm[i]}, ${orig}) is outside the analysed structure`);
        B[rel[i]! * nc + cj] = val[p]!;
      }
    }
    // updates from descendants
    let d = linkHead[s]!;
    linkHead[s] = -1;
    while (d !== -1) {
      const nextD = linkNext[d]!;
      const Rd = rows[d]!;
      const Ld = blocks[d]!;
      const ncd = superStart[d + 1]! - superStart[d]!;
      const pos = nextPos[d]!;
      let end = pos;
      while (end < Rd.length && Rd[end]! < l) end++;
      updateFromDescendant(B, nc, rel, f, Rd, Ld, ncd, pos, end);
      nextPos[d] = end;
      if (end < Rd.length) {
        const t = snode[Rd[end]!]!;
        linkNext[d] = linkHead[t]!;
        linkHead[t] = d;
      } else {
        blocks[d] = null;
        rows[d] = null;
      }
      d = nextD;
    }
    const fail = factorBlock(B, nr, nc, invDiag, f);
    if (kept) {
      kept.rows[s] = R;
      kept.blocks[s] = B;
    }
    for (let j = f; j < l; j++) if (invDiag[j]! > 0) minPivot = Math.min(minPivot, 1 / (invDiag[j]! * invDiag[j]!));
    if (fail.at >= 0) {
      return { ok: false, failedAt: f + fail.at, failedIndex: perm[f + fail.at]!, minPivot: Math.min(minPivot, fail.pivot) };
    }
    if (nr > nc) {
      blocks[s] = B;
      nextPos[s] = nc;
      const t = snode[R[nc]!]!;
      linkNext[s] = linkHead[t]!;
      linkHead[t] = s;
    } else {
      // a root: nothing above needs it
      rows[s] = null;
    }
  }
  return { ok: true, minPivot, ...(kept ? { factor: kept } : {}) };
}

/**
 * B[rel[Rd[r]], Rd[c] - f] -= <Ld row r, Ld row c> for pos <= c < end, c <= r < len(Rd):
 * the part of descendant d's outer product that lands in target columns f .. f + nc - 1.
 */
function updateFromDescendant(
  B: Float64Array,
  nc: number,
  rel: Int32Array,
  f: number,
  Rd: Int32Array,
  Ld: Float64Array,
  ncd: number,
  pos: number,
  end: number,
): void {
  const nrd = Rd.length;
  for (let c = pos; c < end; c++) {
    const tc = Rd[c]! - f;
    const oc = c * ncd;
    for (let r = c; r < nrd; r++) {
      const or = r * ncd;
      let s0 = 0;
      let s1 = 0;
      let k = 0;
      for (; k + 1 < ncd; k += 2) {
        s0 += Ld[or + k]! * Ld[oc + k]!;
        s1 += Ld[or + k + 1]! * Ld[oc + k + 1]!;
      }
      if (k < ncd) s0 += Ld[or + k]! * Ld[oc + k]!;
      B[rel[Rd[r]!]! * nc + tc]! -= s0 + s1;
    }
  }
}

/**
 * Cholesky of the supernode block B (nr x nc row-major; its top nc x nc is the diagonal block,
 * lower triangle), in place, with reciprocal pivots stored at invDiag[f + j]. Column panels of
 * width PANEL: first every row's panel entries receive the products with the earlier panels
 * (the panel's rows, PANEL x j0 doubles, stay in cache while all rows below stream past), then the
 * panel is finished row by row. Returns the first failing column (-1 if none) and its pivot.
 */
function factorBlock(B: Float64Array, nr: number, nc: number, invDiag: Float64Array, f: number): { at: number; pivot: number } {
  for (let j0 = 0; j0 < nc; j0 += PANEL) {
    const j1 = Math.min(nc, j0 + PANEL);
    if (j0 > 0) panelUpdate(B, nr, nc, j0, j1);
    for (let i = j0; i < nr; i++) {
      const oi = i * nc;
      const jEnd = Math.min(i, j1);
      for (let j = j0; j < jEnd; j++) {
        const oj = j * nc;
        let s = B[oi + j]!;
        for (let k = j0; k < j; k++) s -= B[oi + k]! * B[oj + k]!;
        B[oi + j] = s * invDiag[f + j]!;
      }
      if (i < j1) {
        let s = B[oi + i]!;
        for (let k = j0; k < i; k++) s -= B[oi + k]! * B[oi + k]!;
        if (!(s > 0 && s < Infinity)) return { at: i, pivot: s };
        const root = Math.sqrt(s);
        B[oi + i] = root;
        invDiag[f + i] = 1 / root;
      }
    }
  }
  return { at: -1, pivot: Infinity };
}

/** B[i, j] -= <B[i, 0:j0], B[j, 0:j0]> for rows i >= j0 and panel columns j0 <= j < j1, j <= i; two rows by two columns at a time. */
function panelUpdate(B: Float64Array, nr: number, nc: number, j0: number, j1: number): void {
  let i = j0;
  for (; i + 1 < nr; i += 2) {
    const oa = i * nc;
    const ob = oa + nc;
    const jEnd = Math.min(j1, i + 2);
    let j = j0;
    for (; j + 1 < jEnd; j += 2) {
      const oc = j * nc;
      const od = oc + nc;
      let ac = 0;
      let ad = 0;
      let bc = 0;
      let bd = 0;
      for (let k = 0; k < j0; k++) {
        const a = B[oa + k]!;
        const b = B[ob + k]!;
        const c = B[oc + k]!;
        const d = B[od + k]!;
        ac += a * c;
        ad += a * d;
        bc += b * c;
        bd += b * d;
      }
      // (i, j+1) lies above the diagonal only when j + 1 > i; its storage is never read, skip it anyway
      B[oa + j]! -= ac;
      if (j + 1 <= i) B[oa + j + 1]! -= ad;
      B[ob + j]! -= bc;
      B[ob + j + 1]! -= bd;
    }
    if (j < jEnd) {
      const oc = j * nc;
      let ac = 0;
      let bc = 0;
      for (let k = 0; k < j0; k++) {
        const c = B[oc + k]!;
        ac += B[oa + k]! * c;
        bc += B[ob + k]! * c;
      }
      if (j <= i) B[oa + j]! -= ac;
      B[ob + j]! -= bc;
    }
  }
  if (i < nr) {
    const oa = i * nc;
    const jEnd = Math.min(j1, i + 1);
    for (let j = j0; j < jEnd; j++) {
      const oc = j * nc;
      let s = 0;
      for (let k = 0; k < j0; k++) s += B[oa + k]! * B[oc + k]!;
      B[oa + j]! -= s;
    }
  }
}
