import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/cli.js';
import { bufferIo } from '../src/core/io.js';
import { rowsOf } from './bench-fixtures.js';

describe('bnnrelax bench xnor', () => {
  it('--json prints one exact record per backend and baseline, the file also records skipped backends, and --resume skips them all', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'bnnrelax-bench-')), 'xnor.jsonl');
    const io = bufferIo();
    // part 2 of 6 is the small 128 x 128 x 128 case with every backend
    expect(await runCli(['bench', 'xnor', '--json', '--shard', '2/6', '--out', out], io)).toBe(0);
    const records = io.stdout.trim().split('\n').map((line) => JSON.parse(line));
    const names = records.map((r) => r.backend);
    const gl = names.includes('gpujs-headlessgl-24') ? ['gpujs-headlessgl-16', 'gpujs-headlessgl-24'] : [];
    expect(names).toEqual(['wasm', 'wasm-1thread', 'wasm-simd', 'wasm-simd-1thread', 'js', 'gpujs-cpu-16', 'gpujs-cpu-24', 'gpujs-webasm-16', 'gpujs-webasm-24', ...gl, 'ml-matrix', 'float32-loop']);
    if (gl.length === 0) expect(io.stderr).toMatch(/gpujs-headlessgl-24 skipped: .*'gl' package/);
    for (const r of records) {
      expect(Object.keys(r)).toEqual(['case', 'suite', 'backend', 'M', 'N', 'K', 'macPerSec', 'exact', 'provenance']);
      expect([r.case, r.suite, r.M, r.N, r.K, r.exact]).toEqual([`${r.backend}/128x128x128`, 'xnor', 128, 128, 128, true]);
      expect(r.macPerSec).toBeGreaterThan(0);
      expect(r.provenance.params).toEqual({ backend: r.backend, M: 128, N: 128, K: 128, measureSeconds: 0.25 });
      expect(r.provenance.shard).toBe('2/6');
    }
    // every backend of the shape once in the file: measured, or skipped with the reason
    const rows = rowsOf(out);
    expect(rows.filter((r) => r.skipped === undefined)).toEqual(records);
    expect(rows.map((r) => r.case).sort()).toEqual([...names, ...(gl.length ? [] : ['gpujs-headlessgl-16', 'gpujs-headlessgl-24'])].map((n) => `${n}/128x128x128`).sort());
    const again = bufferIo();
    expect(await runCli(['bench', 'xnor', '--json', '--shard', '2/6', '--out', out, '--resume'], again)).toBe(0);
    expect(again.stdout).toBe('');
  });
});
