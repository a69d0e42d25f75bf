/**
 * Fill-reducing orderings for sparse Cholesky: approximate minimum degree (AMD) on the quotient
 * graph, after Amestoy, Davis & Duff, "An approximate minimum degree ordering algorithm", SIAM J.
 * Matrix Anal. Appl. 17 (1996). Written here from the paper's description (no npm package offers
 * an AMD that works on a plain adjacency structure): elements (eliminated pivots) stand for the
 * cliques that elimination creates, so memory stays O(nnz(A)) however much fill there is; the
 * external degree of a variable is bounded above by AMD's approximation
 *   d_i <= |A_i \ i| + |L_p \ i| + sum_{e in E_i \ p} |L_e \ L_p|,
 * indistinguishable variables are merged into supervariables (mass elimination), elements whose
 * variables all lie in the new pivot's element are absorbed (aggressive absorption), and rows
 * denser than 10 sqrt(n) are ordered last. The ordering only affects fill and speed, never the
 * validity of a proof: any permutation gives a correct factorisation.
 */

/** A symmetric sparsity pattern: node i's neighbours are adj[ptr[i] .. ptr[i+1]) (no self loops). */
export interface Pattern {
  readonly n: number;
  readonly ptr: Int32Array;
  readonly adj: Int32Array;
}

/** perm[k] = the original index of the k-th node to eliminate. */
export function amdOrder(g: Pattern): Int32Array {
  const n = g.n;
  const { ptr, adj } = g;
  const perm = new Int32Array(n);
  if (n === 0) return perm;
  // per-variable quotient-graph lists; null once a node is no longer a variable
  const adjV: (number[] | null)[] = new Array(n);
  const adjE: (number[] | null)[] = new Array(n);
  const elemVars: (number[] | null)[] = new Array(n).fill(null);
  const elemW = new Float64Array(n);
  /** supervariable weight; 0 for a merged, dense or eliminated node */
  const nv = new Int32Array(n).fill(1);
  /** 0 variable, 1 element, 2 absorbed element / merged variable, 3 dense (ordered last) */
  const status = new Uint8Array(n);
  const mergedInto = new Int32Array(n).fill(-1);
  const members: number[][] = Array.from({ length: n }, () => []);
  const deg = new Int32Array(n);
  // degree buckets (doubly linked)
  const head = new Int32Array(n + 1).fill(-1);
  const next = new Int32Array(n).fill(-1);
  const prev = new Int32Array(n).fill(-1);
  const inBucket = new Uint8Array(n);
  const insert = (i: number, d: number): void => {
    deg[i] = d;
    prev[i] = -1;
    next[i] = head[d]!;
    if (head[d]! >= 0) prev[head[d]!] = i;
    head[d] = i;
    inBucket[i] = 1;
  };
  const remove = (i: number): void => {
    if (!inBucket[i]) return;
    if (prev[i]! >= 0) next[prev[i]!] = next[i]!;
    else head[deg[i]!] = next[i]!;
    if (next[i]! >= 0) prev[next[i]!] = prev[i]!;
    inBucket[i] = 0;
  };

  const denseLimit = Math.max(16, Math.floor(10 * Math.sqrt(n)));
  const dense: number[] = [];
  for (let i = 0; i < n; i++) {
    if (ptr[i + 1]! - ptr[i]! > denseLimit) {
      status[i] = 3;
      nv[i] = 0;
      dense.push(i);
    }
  }
  let minDeg = n;
  for (let i = 0; i < n; i++) {
    if (status[i] === 3) continue;
    const list: number[] = [];
    for (let p = ptr[i]!; p < ptr[i + 1]!; p++) {
      const j = adj[p]!;
      if (j !== i && status[j] !== 3) list.push(j);
    }
    adjV[i] = list;
    adjE[i] = [];
    insert(i, list.length);
    minDeg = Math.min(minDeg, list.length);
  }

  const mark = new Int32Array(n);
  let stamp = 0;
  const wRound = new Int32Array(n);
  const w = new Float64Array(n);
  let eliminated = dense.length;
  let k = 0;
  const emit = (i: number): void => {
    perm[k++] = i;
    for (const j of members[i]!) emit(j);
  };
  const remaining = n - dense.length;
  let done = 0;

  while (done < remaining) {
    while (minDeg <= n && head[minDeg]! < 0) minDeg++;
    const p = head[minDeg]!;
    remove(p);
    // the new element L_p: variables adjacent to p directly or through p's elements
    stamp++;
    mark[p] = stamp;
    const Lp: number[] = [];
    for (const e of adjE[p]!) {
      if (status[e] !== 1) continue;
      for (const i of elemVars[e]!) {
        if (nv[i]! > 0 && mark[i] !== stamp) {
          mark[i] = stamp;
          Lp.push(i);
        }
      }
      // e is absorbed into p
      status[e] = 2;
      elemVars[e] = null;
    }
    for (const i of adjV[p]!) {
      if (nv[i]! > 0 && mark[i] !== stamp) {
        mark[i] = stamp;
        Lp.push(i);
      }
    }
    const pw = nv[p]!;
    emit(p);
    done += pw;
    eliminated += pw;
    nv[p] = 0;
    status[p] = 1;
    adjV[p] = null;
    adjE[p] = null;
    elemVars[p] = Lp;
    let degLp = 0;
    for (const i of Lp) degLp += nv[i]!;
    elemW[p] = degLp;

    // |L_e \ L_p| for the other elements of the variables in L_p
    for (const i of Lp) {
      for (const e of adjE[i]!) {
        if (status[e] !== 1 || e === p) continue;
        if (wRound[e] !== stamp) {
          wRound[e] = stamp;
          w[e] = elemW[e]!;
        }
        w[e]! -= nv[i]!;
      }
    }
    // update each variable of L_p: prune its lists, attach p, bound its degree, hash it
    const hashes = new Map<number, number[]>();
    for (const i of Lp) {
      remove(i);
      const Ei: number[] = [];
      let eSum = 0;
      let hash = p;
      for (const e of adjE[i]!) {
        if (status[e] !== 1 || e === p) continue;
        const we = w[e]!;
        if (we <= 0) {
          // aggressive absorption: L_e is inside L_p
          status[e] = 2;
          elemVars[e] = null;
          continue;
        }
        Ei.push(e);
        eSum += we;
        hash += e;
      }
      Ei.push(p);
      adjE[i] = Ei;
      const Ai: number[] = [];
      let aSum = 0;
      for (const j of adjV[i]!) {
        if (nv[j]! <= 0 || mark[j] === stamp) continue;
        Ai.push(j);
        aSum += nv[j]!;
        hash += j;
      }
      adjV[i] = Ai;
      const bound = n - eliminated - nv[i]!;
      const d = Math.max(0, Math.min(bound, deg[i]! + degLp - nv[i]!, aSum + degLp - nv[i]! + eSum));
      deg[i] = d;
      const key = hash % 1000003;
      const bucket = hashes.get(key);
      if (bucket) bucket.push(i);
      else hashes.set(key, [i]);
    }
    // supervariables: variables of L_p with the same lists are indistinguishable
    for (const bucket of hashes.values()) {
      if (bucket.length < 2) continue;
      for (let a = 0; a < bucket.length; a++) {
        const i = bucket[a]!;
        if (nv[i]! <= 0) continue;
        for (let b = a + 1; b < bucket.length; b++) {
          const j = bucket[b]!;
          if (nv[j]! <= 0 || !sameSet(adjV[i]!, adjV[j]!, mark, ++stamp) || !sameSet(adjE[i]!, adjE[j]!, mark, ++stamp)) continue;
          nv[i]! += nv[j]!;
          nv[j] = 0;
          status[j] = 2;
          mergedInto[j] = i;
          members[i]!.push(j);
          adjV[j] = null;
          adjE[j] = null;
        }
      }
    }
    for (const i of Lp) {
      if (nv[i]! <= 0) continue;
      const d = Math.min(deg[i]!, n - eliminated - nv[i]!);
      insert(i, Math.max(0, d));
      if (deg[i]! < minDeg) minDeg = deg[i]!;
    }
  }
  for (const i of dense) perm[k++] = i;
  if (k !== n) throw new Error(`amdOrder: ordered ${k} of ${n} nodes`);
  return perm;
}

/** Whether two lists of distinct indices hold the same set (mark is scratch, stamp fresh). */
function sameSet(a: number[], b: number[], mark: Int32Array, stamp: number): boolean {
  if (a.length !== b.length) return false;
  for (const x of a) mark[x] = stamp;
  for (const x of b) if (mark[x] !== stamp) return false;
  return true;
}
