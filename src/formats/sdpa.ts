/**
 * SDPA sparse format (`.dat-s`), restricted to the diagonally constrained SDPs this project
 * solves. The file states (D) max tr(F0 Y) s.t. tr(F_i Y) = c_i, Y psd; we accept it only when
 * there is one block and the constraints say exactly diag(Y) = 1 (each F_i = a e_j e_j' with
 * a = c_i, every j once). Anything else is refused with the reason. Errors name the file and line.
 */
import { basename } from 'node:path';
import { UserError } from '../core/errors.js';
import { symCsrFromTriplets } from '../numerics/csr.js';
import type { DiagSdp } from '../core/diag-sdp.js';
import { MAX_ABS_SUM, parseDecimal, parseSafeInteger } from '../core/numbers.js';
import { ensureAffordable } from '../core/memory.js';

/** Numbers on a header line, with SDPA's decorations ({ } ( ) , ") stripped. */
function headerNumbers(line: string): string[] {
  return line.replace(/[{}(),"]/g, ' ').trim().split(/\s+/).filter(Boolean);
}

export function parseSdpa(text: string, path: string): DiagSdp {
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  let ln = 0;
  const fail = (msg: string, line = ln): never => {
    throw new UserError(`${path}:${line}: ${msg}`);
  };
  // skip leading comment lines (SDPA allows lines starting with " or *)
  const nextHeader = (what: string): string[] => {
    while (ln < lines.length) {
      const raw = lines[ln++]!;
      if (/^\s*["*]/.test(raw) || raw.trim() === '') continue;
      return headerNumbers(raw);
    }
    return fail(`file ends before the ${what}`, Math.max(1, lines.length));
  };
  const int = (tok: string | undefined, what: string): number => {
    const v = parseSafeInteger(tok ?? '');
    if (v === undefined) return fail(`${what} must be an integer, got '${tok ?? ''}'`);
    return v;
  };
  const mTok = nextHeader('number of constraints');
  const m = int(mTok[0], 'the number of constraints');
  const mLine = ln;
  if (m < 1) fail(`the number of constraints must be positive, got ${m}`);
  const nbTok = nextHeader('number of blocks');
  const nblocks = int(nbTok[0], 'the number of blocks');
  if (nblocks !== 1) fail(`only one SDP block is supported (diag(X) = 1 problems have one), got ${nblocks} blocks`);
  const bsTok = nextHeader('block sizes');
  const n = int(bsTok[0], 'the block size');
  if (n <= 0) fail(`the block must be a positive-size SDP block, got ${n} (a negative size is a diagonal LP block)`);
  if (m !== n) fail(`a diag(X) = 1 problem has as many constraints as the block size; got ${m} constraints (line ${mLine}) for size ${n}`);
  // each constraint needs an entry line: a size the file cannot hold is refused before allocating
  if (m > lines.length - ln) fail(`${m} constraints need at least ${m} entry lines, but the file has ${lines.length - ln} more lines`);
  ensureAffordable(48 * n, `${path}: the size-${n} SDP block`);
  const cLine = ln;
  const cTok = nextHeader('vector c');
  if (cTok.length < m) fail(`the vector c has ${cTok.length} entries, expected ${m}`, ln);
  const c = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const v = parseDecimal(cTok[i]!);
    if (v === undefined) return fail(`entry ${i + 1} of c is not a finite decimal number: '${cTok[i]}'`, ln);
    c[i] = v;
  }
  void cLine;

  const rows: number[] = [];
  const cols: number[] = [];
  const vals: number[] = [];
  const seenF0 = new Map<number, number>();
  let absSum = 0;
  const constraintVar = new Int32Array(m + 1).fill(-1); // diagonal index fixed by F_i
  const constraintLine = new Int32Array(m + 1);
  const varConstraint = new Int32Array(n).fill(0);
  while (ln < lines.length) {
    const raw = lines[ln++]!;
    const t = raw.trim();
    if (t === '' || /^["*]/.test(t)) continue;
    const tok = t.replace(/[{}(),]/g, ' ').trim().split(/\s+/);
    if (tok.length < 5) fail(`an entry needs 5 fields 'matrix block i j value', got '${t}'`);
    const mat = int(tok[0], 'the matrix number');
    const blk = int(tok[1], 'the block number');
    let i = int(tok[2], 'the row index');
    let j = int(tok[3], 'the column index');
    const v = parseDecimal(tok[4]!);
    if (v === undefined) return fail(`the value must be a finite decimal number, got '${tok[4]}'`);
    if (mat < 0 || mat > m) fail(`matrix number ${mat} is out of range 0..${m}`);
    if (blk !== 1) fail(`block number ${blk} is out of range (the file has 1 block)`);
    if (i < 1 || i > n || j < 1 || j > n) fail(`index (${i}, ${j}) is out of range 1..${n}`);
    if (i > j) [i, j] = [j, i];
    if (mat === 0) {
      const key = (i - 1) * n + (j - 1);
      const prev = seenF0.get(key);
      if (prev !== undefined) fail(`F0 entry (${i}, ${j}) is given twice (first on line ${prev})`);
      seenF0.set(key, ln);
      absSum += (i === j ? 1 : 2) * Math.abs(v);
      if (!(absSum <= MAX_ABS_SUM)) fail(`the entries of F0 have an absolute sum above ${MAX_ABS_SUM} at this entry (${tok[4]}): sums the solver forms would overflow; rescale the matrix`);
      rows.push(i - 1);
      cols.push(j - 1);
      vals.push(v);
      continue;
    }
    if (v === 0) continue;
    const why = `constraint ${mat} is not of the form X_jj = 1, so this is not a diag(X) = 1 SDP (only those are supported)`;
    if (i !== j) fail(`${why}: it has an off-diagonal entry (${i}, ${j})`);
    if (constraintVar[mat] !== -1) fail(`${why}: it has a second entry (first on line ${constraintLine[mat]})`);
    if (v !== c[mat - 1]) fail(`${why}: its entry ${v} differs from c_${mat} = ${c[mat - 1]}`);
    if (varConstraint[i - 1] !== 0) fail(`${why}: X_${i}${i} is already fixed by constraint ${varConstraint[i - 1]}`);
    constraintVar[mat] = i - 1;
    constraintLine[mat] = ln;
    varConstraint[i - 1] = mat;
  }
  for (let k = 1; k <= m; k++) {
    if (constraintVar[k] === -1) fail(`constraint ${k} has no entries (a diag(X) = 1 SDP needs F_${k} = e_j e_j')`, lines.length);
  }
  if (rows.length === 0) fail('F0 has no entries: the objective is zero', lines.length);
  const name = basename(path).replace(/\.dat-s$/i, '');
  return { name, n, C: symCsrFromTriplets(n, rows, cols, vals), sense: 'max', notes: [] };
}
