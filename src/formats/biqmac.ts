/**
 * The BiqMac / Beasley sparse BQP format: optional comment lines starting with '#', a first line
 * `n m`, then m lines `i j q` (1-based). Q is symmetric and each pair is given once (either
 * triangle): an entry i != j stands for both q_ij and q_ji, so the objective over x in {0,1}^n is
 *   x'Qx = sum_i q_ii x_i + 2 sum_{i<j} q_ij x_i x_j.
 * The format does not carry the sense: the Biq Mac library states its instances as min x'Qx,
 * Beasley's OR-Library bqp instances are maxima; the caller says which (default min).
 * Errors name the file and line.
 */
import { UserError } from '../core/errors.js';
import { ensureAffordable } from '../core/memory.js';
import type { Sense } from '../core/diag-sdp.js';
import { readText } from './text-file.js';
import { QUBO_MAX_N, type QuboData } from './qubo.js';

export interface BiqmacFlags {
  sense?: Sense;
  /** every q must be an integer */
  integer?: boolean;
}

export function parseBiqmac(text: string, path: string, flags: BiqmacFlags = {}): QuboData {
  const lines = text.split(/\r?\n/);
  let ln = 0;
  const fail = (msg: string, line = ln): never => {
    throw new UserError(`${path}:${line}: ${msg}`);
  };
  const skip = () => {
    while (ln < lines.length && (lines[ln]!.trim() === '' || lines[ln]!.trim().startsWith('#'))) ln++;
  };
  skip();
  if (ln >= lines.length) fail('empty file: expected a first line `n m`', 1);
  const headText = lines[ln++]!.trim();
  const head = headText.split(/\s+/);
  const n = Number(head[0]);
  const m = Number(head[1]);
  if (head.length !== 2 || !/^\d+$/.test(head[0]!) || !/^\d+$/.test(head[1]!)) fail(`the first line must be 'n m' (two non-negative integers), got '${headText}'`);
  if (n < 1) fail(`n must be at least 1, got ${n}`);
  if (n > QUBO_MAX_N) fail(`n = ${n} is above ${QUBO_MAX_N}, the largest problem read as a dense form`);
  ensureAffordable(8 * n * n, `${path}: the dense ${n} x ${n} form`);
  if (m > (n * (n + 1)) / 2) fail(`m = ${m} entries is more than the ${(n * (n + 1)) / 2} of a symmetric ${n} x ${n} matrix`);
  const rows: number[] = [];
  const cols: number[] = [];
  const vals: number[] = [];
  const seen = new Map<number, number>();
  let e = 0;
  for (;;) {
    skip();
    if (ln >= lines.length) break;
    const t = lines[ln++]!.trim();
    if (e >= m) fail(`more entries than the ${m} announced on the first line`);
    const tok = t.split(/\s+/);
    if (tok.length !== 3) fail(`an entry line must be 'i j q', got '${t}'`);
    if (!/^[+-]?\d+$/.test(tok[0]!) || !/^[+-]?\d+$/.test(tok[1]!)) fail(`indices must be integers, got '${t}'`);
    const i = Number(tok[0]);
    const j = Number(tok[1]);
    const q = Number(tok[2]);
    if (i < 1 || i > n || j < 1 || j > n) fail(`index out of range 1..${n} in '${t}'`);
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(tok[2]!) || !Number.isFinite(q)) fail(`q must be a finite number, got '${tok[2]}'`);
    if (flags.integer && !Number.isInteger(q)) fail(`q = ${tok[2]} is not an integer, but the problem is declared integer (int=1)`);
    const key = Math.min(i, j) * (n + 1) + Math.max(i, j);
    const prev = seen.get(key);
    if (prev !== undefined) fail(`entry ${i} ${j} repeats line ${prev} (Q is symmetric: give each pair once)`);
    seen.set(key, ln);
    if (i === j) {
      rows.push(i - 1);
      cols.push(i - 1);
      vals.push(q);
    } else {
      rows.push(i - 1, j - 1);
      cols.push(j - 1, i - 1);
      vals.push(q, q);
    }
    e++;
  }
  let last = lines.length;
  while (last > 1 && lines[last - 1]!.trim() === '') last--;
  if (e < m) fail(`file ends after ${e} entries, but the first line announces ${m}`, last);
  return {
    n,
    rows: Int32Array.from(rows),
    cols: Int32Array.from(cols),
    vals: Float64Array.from(vals),
    b: new Float64Array(n),
    c: 0,
    sense: flags.sense ?? 'min',
    vars: '01',
    integer: flags.integer === true,
    source: path,
  };
}

export function readBiqmac(path: string, flags: BiqmacFlags = {}): QuboData {
  return parseBiqmac(readText(path), path, flags);
}
