/**
 * G-set "rudy" graphs read as MaxCut: first line `n m`, then m lines `i j w` (1-based,
 * undirected). The SDP is max <L/4, X> s.t. diag(X) = 1 with L the weighted Laplacian, so that
 * x'(L/4)x is the cut value of x in {-1,+1}^n. Self-loops are refused (they never cross a cut, and
 * a file with one is probably not what the user meant); repeated edges are merged by adding their
 * weights, and a note says so. Errors name the file and line.
 */
import { basename } from 'node:path';
import { UserError } from '../core/errors.js';
import { symCsrFromTriplets } from '../numerics/csr.js';
import type { DiagSdp } from '../core/diag-sdp.js';
import { MAX_ABS_SUM, parseDecimal, parseSafeInteger } from '../core/numbers.js';
import { ensureAffordable } from '../core/memory.js';

export function parseGset(text: string, path: string): DiagSdp {
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  let ln = 0;
  const fail = (msg: string, line = ln): never => {
    throw new UserError(`${path}:${line}: ${msg}`);
  };
  while (ln < lines.length && lines[ln]!.trim() === '') ln++;
  if (ln >= lines.length) fail('empty file: expected a first line `n m`', 1);
  const head = lines[ln++]!.trim().split(/\s+/);
  const n = parseSafeInteger(head[0] ?? '');
  const m = parseSafeInteger(head[1] ?? '');
  if (head.length < 2 || n === undefined || m === undefined) return fail(`the first line must be 'n m' (two integers), got '${lines[ln - 1]!.trim()}'`);
  if (n < 2) fail(`a graph needs at least 2 vertices, got n = ${n}`);
  if (m < 1) fail(`the graph has no edges (m = ${m}): its MaxCut is 0`);
  // sizes are checked against the file and the memory cap before anything is allocated
  if (m > lines.length - ln) fail(`line 1 announces ${m} edges, but the file has only ${lines.length - ln} more lines`);
  if (n > 2 ** 31 - 2) fail(`n = ${n} vertices is above the 2^31 - 2 that index arrays hold`);
  ensureAffordable(8 * n + 40 * m, `${path}: the ${n}-vertex, ${m}-edge graph`);
  const rows = new Int32Array(m);
  const cols = new Int32Array(m);
  const vals = new Float64Array(m);
  const seen = new Map<number, number>();
  let merged = 0;
  let absSum = 0;
  let firstMerge = '';
  let e = 0;
  while (ln < lines.length) {
    const t = lines[ln++]!.trim();
    if (t === '') continue;
    if (e >= m) fail(`more edges than the ${m} announced on line 1`);
    const tok = t.split(/\s+/);
    if (tok.length < 2 || tok.length > 3) fail(`an edge line must be 'i j [w]', got '${t}'`);
    const i = parseSafeInteger(tok[0]!);
    const j = parseSafeInteger(tok[1]!);
    const w = tok.length === 3 ? parseDecimal(tok[2]!) : 1;
    if (i === undefined || j === undefined) return fail(`vertex numbers must be integers, got '${t}'`);
    if (w === undefined) return fail(`the weight must be a finite decimal number, got '${tok[2]}'`);
    if (i < 1 || i > n || j < 1 || j > n) fail(`vertex out of range 1..${n} in '${t}'`);
    absSum += Math.abs(w);
    if (!(absSum <= MAX_ABS_SUM / 4)) fail(`the weights' absolute sum passes ${MAX_ABS_SUM / 4} at this edge (weight ${tok[2]}): sums the solver forms would overflow; rescale the weights`);
    if (i === j) fail(`self-loop ${i}-${i}: a self-loop never crosses a cut; remove it`);
    const key = Math.min(i, j) * (n + 1) + Math.max(i, j);
    const prev = seen.get(key);
    if (prev !== undefined) {
      if (merged === 0) firstMerge = `edge ${i}-${j} on line ${ln} repeats line ${prev}`;
      merged++;
    } else seen.set(key, ln);
    rows[e] = i - 1;
    cols[e] = j - 1;
    vals[e] = w;
    e++;
  }
  if (e < m) fail(`file ends after ${e} edges, but line 1 announces ${m}`, lines.length);
  // L/4: diagonal = weighted degree / 4, off-diagonal = -w/4; repeated edges add up
  const tr: number[] = [];
  const tc: number[] = [];
  const tv: number[] = [];
  for (let k = 0; k < m; k++) {
    const i = rows[k]!;
    const j = cols[k]!;
    const w = vals[k]! / 4;
    tr.push(i, j, Math.min(i, j));
    tc.push(i, j, Math.max(i, j));
    tv.push(w, w, -w);
  }
  const notes = merged > 0 ? [`${path}: merged ${merged} repeated edge(s) by adding their weights (first: ${firstMerge})`] : [];
  const name = basename(path).replace(/\.txt$/i, '');
  return { name, n, C: symCsrFromTriplets(n, tr, tc, tv), sense: 'max', notes };
}
