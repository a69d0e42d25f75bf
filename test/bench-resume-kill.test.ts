/**
 * Every suite killed (SIGKILL) at a random point of its run and resumed ends with every case
 * exactly once, the rows written before the kill kept as they were; while the first run writes,
 * a second run on the same file is refused. Small case lists keep it fast: bench smoke, bench sdp on two
 * generated graphs, bench xnor on its 128 x 128 x 128 shape (--shard 2/6).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BENCH_SUITES } from '../src/experiments/bench-suites.js';
import { shardUnits } from '../src/experiments/shard.js';
import type { BenchFlags } from '../src/experiments/suite.js';
import { bufferIo } from '../src/core/io.js';
import { caseIds, cli, completeLines, spawnCli, tinySdpData, waitFor } from './bench-fixtures.js';
import { mulberry32 } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'bnnrelax-kill-'));
const data = tinySdpData(join(dir, 'data'));
const random = mulberry32(Number(process.env.BNNRELAX_KILL_SEED ?? 20261201));

const SUITES: { name: string; args: string[]; flags: BenchFlags }[] = [
  { name: 'smoke', args: ['bench', 'smoke'], flags: { seed: 1 } },
  { name: 'sdp', args: ['bench', 'sdp', '--data', data], flags: { seed: 1, data } },
  { name: 'xnor', args: ['bench', 'xnor', '--shard', '2/6'], flags: { seed: 1, shard: [2, 6] } },
];

/** The case ids the suite declares for these flags (every one must end up in the file once). */
function declaredCases(name: string, flags: BenchFlags): string[] {
  const suite = BENCH_SUITES.find((s) => s.name === name)!;
  return shardUnits(suite.units(flags, bufferIo()), flags.shard).flatMap((u) => u.caseIds);
}

describe('kill at a random point and --resume; a concurrent second writer refused', () => {
  for (const suite of SUITES) {
    it(`bench ${suite.name}: second writer refused; killed and resumed, every case exactly once`, async () => {
      const expected = declaredCases(suite.name, suite.flags);
      expect(new Set(expected).size).toBe(expected.length);
      expect(expected.length).toBeGreaterThanOrEqual(6);

      const out = join(dir, `${suite.name}-killed.jsonl`);
      // kill after a random number of finished cases (1 to half of them) plus a random 0-20 ms:
      // mid-line or between lines, and never so late that the run could finish first
      const after = 1 + Math.floor(random() * Math.floor(expected.length / 2));
      const extraMs = Math.floor(random() * 20);
      const { child, exited } = spawnCli([...suite.args, '--out', out]);
      // while it runs, a second run on the same file is refused, whatever its mode
      await waitFor(() => completeLines(`${out}.lock`) >= 1, 60_000, 'the lock file');
      for (const extra of [['--resume'], ['--overwrite'], ['--resume', '--json']]) {
        const second = await cli(...suite.args, '--out', out, ...extra);
        expect(second.code).toBe(2);
        expect(second.err).toMatch(new RegExp(`^bnnrelax: .*${suite.name}-killed\\.jsonl: in use by another run \\(pid ${child.pid} on \\S+ since \\S+\\); two runs cannot write one results file; if that run is dead, delete .*\\.jsonl\\.lock\\n$`));
        expect(second.out).toBe('');
      }
      await waitFor(() => completeLines(out) >= after, 60_000, `${after} rows in ${out}`);
      await new Promise((r) => setTimeout(r, extraMs));
      child.kill('SIGKILL');
      await exited;
      const before = caseIds(out);
      const textBefore = readFileSync(out, 'utf8');
      expect(before.length, `killed after ${after} rows + ${extraMs} ms`).toBeLessThan(expected.length);

      // the killed run's lock is stale: the resume takes it over at once
      const r = await cli(...suite.args, '--out', out, '--resume');
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      const ids = caseIds(out);
      expect(new Set(ids).size).toBe(ids.length);
      expect([...ids].sort()).toEqual([...expected].sort());
      // the complete rows of the killed run are kept byte for byte (a torn last line is cut)
      const kept = textBefore.slice(0, textBefore.lastIndexOf('\n') + 1);
      expect(readFileSync(out, 'utf8').startsWith(kept)).toBe(true);
      expect(ids.slice(0, before.length)).toEqual(before);
    });
  }
});
