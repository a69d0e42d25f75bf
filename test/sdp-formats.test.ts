import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../src/cli/cli.js';
import { bufferIo } from '../src/core/io.js';
import { parseSdpa } from '../src/formats/sdpa.js';
import { parseGset } from '../src/formats/gset.js';
import { symCsrToDense } from '../src/numerics/csr.js';
import { UserError } from '../src/core/errors.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bnnrelax-sdp-'));
});

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** A 4-cycle as SDPA: F0 = L/4, F_i = e_i e_i', c = 1. */
const CYCLE_SDPA = `"a 4-cycle
4
1
4
{1.0, 1.0, 1.0, 1.0}
0 1 1 1 0.5
0 1 2 2 0.5
0 1 3 3 0.5
0 1 4 4 0.5
0 1 1 2 -0.25
0 1 2 3 -0.25
0 1 3 4 -0.25
0 1 1 4 -0.25
1 1 1 1 1.0
2 1 2 2 1.0
3 1 3 3 1.0
4 1 4 4 1.0
`;

async function cli(args: string[]) {
  const io = bufferIo();
  const code = await runCli(args, io);
  return { code, out: io.stdout, err: io.stderr };
}

describe('SDPA reader', () => {
  it('reads F0 as C, max sense, and solves the 4-cycle MaxCut (value 4)', async () => {
    const sdp = parseSdpa(CYCLE_SDPA, 'c4.dat-s');
    expect(sdp.n).toBe(4);
    expect(sdp.sense).toBe('max');
    expect(Array.from(symCsrToDense(sdp.C)).slice(0, 4)).toEqual([0.5, -0.25, 0, -0.25]);
    const r = await cli(['sdp', file('c4.dat-s', CYCLE_SDPA), '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    for (const key of ['instance', 'n', 'sense', 'rank', 'algo', 'objective', 'bound', 'relGap', 'certified', 'rounded', 'iterations', 'timeMs', 'parseMs']) {
      expect(j).toHaveProperty(key);
    }
    expect(j.instance).toBe('c4');
    expect(j.certified).toBe(true);
    expect(j.objective).toBeCloseTo(4, 5);
    expect(j.bound).toBeGreaterThanOrEqual(4 - 1e-12);
    expect(j.rounded).toBe(4);
  });

  const bad: [string, string, RegExp][] = [
    ['two blocks', CYCLE_SDPA.replace('\n1\n4\n', '\n2\n4 4\n'), /:3: only one SDP block/],
    ['m != n', CYCLE_SDPA.replace('\n4\n1\n', '\n3\n1\n'), /:4: .*3 constraints \(line 2\) for size 4/],
    ['off-diagonal constraint', CYCLE_SDPA.replace('2 1 2 2 1.0', '2 1 2 3 1.0'), /:15: constraint 2 is not of the form X_jj = 1.*off-diagonal/],
    ['constraint value differs from c', CYCLE_SDPA.replace('2 1 2 2 1.0', '2 1 2 2 3.0'), /:15: constraint 2 .*differs from c_2/],
    ['missing constraint', CYCLE_SDPA.replace('4 1 4 4 1.0\n', ''), /:16: constraint 4 has no entries/],
    ['NaN value', CYCLE_SDPA.replace('0 1 2 3 -0.25', '0 1 2 3 nan'), /:11: the value must be a finite decimal number/],
    ['index out of range', CYCLE_SDPA.replace('0 1 2 3 -0.25', '0 1 2 7 -0.25'), /:11: index \(2, 7\) is out of range/],
    ['truncated entry', CYCLE_SDPA.replace('0 1 2 3 -0.25', '0 1 2'), /:11: an entry needs 5 fields/],
    ['truncated header', '"x\n4\n1\n', /:3: file ends before the block sizes/],
    ['short c', CYCLE_SDPA.replace('{1.0, 1.0, 1.0, 1.0}', '{1.0, 1.0}'), /:5: the vector c has 2 entries, expected 4/],
    ['duplicate F0 entry', CYCLE_SDPA.replace('0 1 3 4 -0.25', '0 1 2 3 -0.25'), /:12: F0 entry \(2, 3\) is given twice \(first on line 11\)/],
    ['empty', '', /file ends before the number of constraints/],
  ];
  for (const [name, text, re] of bad) {
    it(`refuses: ${name} (file:line, exit 2, one line)`, async () => {
      const path = file(`bad-${name.replace(/\W+/g, '_')}.dat-s`, text);
      const r = await cli(['sdp', path, '--json']);
      expect(r.code).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toContain(path);
      expect(r.err).toMatch(re);
    });
  }
});

describe('G-set reader', () => {
  it('reads a graph as MaxCut with C = L/4 (triangle: SDP 2.25, best cut 2)', async () => {
    const sdp = parseGset('3 3\n1 2 1\n2 3 1\n1 3 1\n', 'tri.txt');
    expect(Array.from(symCsrToDense(sdp.C))).toEqual([0.5, -0.25, -0.25, -0.25, 0.5, -0.25, -0.25, -0.25, 0.5]);
    const r = await cli(['sdp', file('tri.txt', '3 3\n1 2 1\n2 3 1\n1 3 1\n'), '--json', '--format', 'gset']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.objective).toBeCloseTo(2.25, 5);
    expect(j.bound).toBeGreaterThanOrEqual(2.25 - 1e-12);
    expect(j.rounded).toBe(2);
  });

  it('merges repeated edges by adding weights, and says so', async () => {
    const sdp = parseGset('3 3\n1 2 1\n2 1 1\n2 3 1\n', 'dup.txt');
    expect(sdp.notes[0]).toMatch(/merged 1 repeated edge.*line 3 repeats line 2/);
    expect(Array.from(symCsrToDense(sdp.C)).slice(0, 3)).toEqual([0.5, -0.5, 0]);
    const r = await cli(['sdp', file('dup.txt', '3 3\n1 2 1\n2 1 1\n2 3 1\n'), '--json']);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/note: .*merged 1 repeated edge/);
    expect(JSON.parse(r.out).notes).toHaveLength(1);
  });

  const bad: [string, string, RegExp][] = [
    ['self-loop', '3 2\n1 2 1\n2 2 1\n', /:3: self-loop 2-2/],
    ['empty graph', '5 0\n', /:1: the graph has no edges/],
    ['empty file', '\n\n', /empty file/],
    ['vertex out of range', '3 2\n1 2 1\n2 4 1\n', /:3: vertex out of range 1..3/],
    ['truncated edge list', '3 3\n1 2 1\n2 3 1\n', /:1: line 1 announces 3 edges, but the file has only 2 more lines/],
    ['too many edges', '3 1\n1 2 1\n2 3 1\n', /:3: more edges than the 1 announced/],
    ['NaN weight', '3 2\n1 2 1\n2 3 NaN\n', /:3: the weight must be a finite decimal number/],
    ['bad header', 'three 2\n', /:1: the first line must be 'n m'/],
  ];
  for (const [name, text, re] of bad) {
    it(`refuses: ${name} (file:line, exit 2, one line)`, async () => {
      const path = file(`bad-${name.replace(/\W+/g, '_')}.txt`, text);
      const r = await cli(['sdp', path, '--format', 'gset']);
      expect(r.code).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toContain(path);
      expect(r.err).toMatch(re);
    });
  }

  it('unreadable file and bad options exit 2 with one line', async () => {
    let r = await cli(['sdp', join(dir, 'nope.txt')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/cannot read \(ENOENT\)/);
    r = await cli(['sdp', file('ok.txt', '2 1\n1 2 1\n'), '--algo', 'simplex']);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });

  it('bench sdp without the reference data says where it looked (exit 2)', async () => {
    const r = await cli(['bench', 'sdp', '--data', join(dir, 'no-such-dir')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no-such-dir: no such folder; give --data DIR or set BNNRELAX_DATA/);
  });

  it('parse errors are UserErrors', () => {
    expect(() => parseGset('2 1\n1 1 1\n', 'x.txt')).toThrow(UserError);
  });
});
