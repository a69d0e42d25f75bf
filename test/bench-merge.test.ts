/** `bench merge`: shard files back into one run, every case exactly once, in the suite's order. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { caseIds, cli, rowsOf } from './bench-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'bnnrelax-merge-'));
const TIMING = /(Ms|Seconds|PerSecond)$|^(time|seconds|ms|load1)$/;

/** A row without its wall-clock fields and without the part of its provenance that names the shard. */
function deterministic(row: Record<string, unknown>): unknown {
  const strip = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(strip) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).filter(([k]) => !TIMING.test(k) && k !== 'shard').map(([k, x]) => [k, strip(x)])) : v;
  return strip(row);
}

describe('bench merge', () => {
  const full = join(dir, 'full.jsonl');
  const shards = [1, 2, 3, 4].map((i) => join(dir, `smoke-${i}.jsonl`));

  it('merging the 4 shards of bench smoke gives the unsharded run (same cases, same order, same values)', async () => {
    expect((await cli('bench', 'smoke', '--out', full)).code).toBe(0);
    for (const [k, f] of shards.entries()) expect((await cli('bench', 'smoke', '--shard', `${k + 1}/4`, '--out', f)).code).toBe(0);
    const merged = join(dir, 'merged.jsonl');
    const r = await cli('bench', 'merge', ...[...shards].reverse(), '--out', merged);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`bench merge: ${caseIds(full).length} cases of bench smoke from 4 files, each exactly once, in ${merged}\n`);
    expect(caseIds(merged)).toEqual(caseIds(full));
    expect(rowsOf(merged).map(deterministic)).toEqual(rowsOf(full).map(deterministic));
    // each row keeps the shard that produced it
    expect(new Set(rowsOf(merged).map((r) => (r.provenance as { shard: string }).shard))).toEqual(new Set(['1/4', '2/4', '3/4', '4/4']));
    // without --out the merged rows go to stdout; an existing --out is refused unless --overwrite
    const toStdout = await cli('bench', 'merge', ...shards);
    expect(toStdout.out).toBe(readFileSync(merged, 'utf8'));
    expect((await cli('bench', 'merge', ...shards, '--out', merged)).code).toBe(2);
    expect((await cli('bench', 'merge', ...shards, '--out', merged, '--overwrite')).code).toBe(0);
  });

  it('lists missing and duplicated cases and writes nothing', async () => {
    const out = join(dir, 'never.jsonl');
    const missing = await cli('bench', 'merge', shards[0]!, shards[1]!, shards[3]!, '--out', out);
    expect(missing.code).toBe(2);
    const lost = caseIds(shards[2]!);
    expect(missing.out.trim().split('\n')).toEqual(lost.map((id) => `missing     ${id}`));
    expect(missing.err).toBe(`bnnrelax: bench merge: ${lost.length} of ${caseIds(full).length} cases missing, 0 duplicated, 0 not of this suite (listed on stdout); nothing written\n`);
    const twice = await cli('bench', 'merge', ...shards, shards[1]!);
    expect(twice.code).toBe(2);
    expect(twice.out.trim().split('\n')).toHaveLength(caseIds(shards[1]!).length);
    expect(twice.out).toMatch(new RegExp(`^duplicated  \\S.* at ${shards[1]}:1, ${shards[1]}:1\\n`));
    expect(() => readFileSync(out)).toThrow();
  });

  it('refuses files of different runs, suites or versions, and merge options that give another case set', async () => {
    const other = join(dir, 'ste.jsonl');
    expect((await cli('bench', 'smoke', '--solvers', 'ste', '--shard', '1/4', '--out', other)).code).toBe(0);
    const oldVersion = join(dir, 'old.jsonl');
    writeFileSync(oldVersion, readFileSync(shards[1]!, 'utf8').replace(/"version":"[^"]*"/g, '"version":"0.0.1"'));
    const xnorRow = join(dir, 'xnor.jsonl');
    writeFileSync(xnorRow, '{"case":"wasm/1x1x1","suite":"xnor","provenance":{"caseSet":"0"}}\n');
    const cases: [string[], RegExp][] = [
      [[shards[0]!, other], /ste\.jsonl:1: another case set \(\d+ cases\) than .*smoke-1\.jsonl:1 \(\d+ cases\): shards of different runs$/],
      [[shards[0]!, oldVersion], /old\.jsonl:1: written by bnnrelax 0\.0\.1 .*; --mix-versions merges them anyway$/],
      [[shards[0]!, xnorRow], /xnor\.jsonl:1: a row of bench xnor, while .*smoke-1\.jsonl:1 is of bench smoke$/],
      [[...shards, '--seed', '2'], /^bnnrelax: bench merge: the files hold a case set of \d+ cases, but bench smoke with these options has \d+ cases \(another set\); give merge the --seed, --solvers and --data the shards ran with$/],
    ];
    for (const [args, message] of cases) {
      const r = await cli('bench', 'merge', ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err.trim()).toMatch(message);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    }
    expect((await cli('bench', 'merge', shards[0]!, oldVersion, shards[2]!, shards[3]!, '--mix-versions')).code).toBe(0);
  });
});
