/** `bench sdp --large` (issue 10): the G-set graphs found in --data/gset, each to its own proven gap. */
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LARGE_GSET_TOL, runSdpLarge } from '../src/experiments/sdp-suite.js';
import { bufferIo } from '../src/core/io.js';

describe('bench sdp --large', () => {
  it('solves the graphs present to their targets, reports CPU time and memory, names the missing ones', async () => {
    const data = mkdtempSync(join(tmpdir(), 'bnnrelax-large-'));
    mkdirSync(join(data, 'gset'));
    // small stand-ins under two of the four names: a 5-cycle (SDP optimum 5(1 + cos(pi/5))/2) and a path
    writeFileSync(join(data, 'gset', 'G55.txt'), '5 5\n1 2 1\n2 3 1\n3 4 1\n4 5 1\n5 1 1\n');
    writeFileSync(join(data, 'gset', 'G81.txt'), '4 3\n1 2 1\n2 3 1\n3 4 1\n');
    const io = bufferIo();
    const rows = await runSdpLarge({ seed: 1, data, json: true }, io);
    expect(rows.map((r) => r.instance)).toEqual(['G55', 'G81']);
    expect(io.stderr).toMatch(/G60, G70 not in .*gset/);
    for (const r of rows) {
      expect(r.tol).toBe(LARGE_GSET_TOL[r.instance]);
      expect(r.certified).toBe(true);
      expect(r.relGap).toBeLessThanOrEqual(r.tol);
      expect(r.cpuMs).toBeGreaterThanOrEqual(0);
      expect(r.maxRssMiB).toBeGreaterThan(0);
    }
    // what a proven gap promises: the bound is above the optimum, the objective within tol below it
    const optima = [(5 * (1 + Math.cos(Math.PI / 5))) / 2, 3];
    rows.forEach((r, i) => {
      expect(r.bound).toBeGreaterThanOrEqual(optima[i]! - 1e-9);
      expect(r.objective).toBeLessThanOrEqual(optima[i]! + 1e-9);
      expect(r.objective).toBeGreaterThanOrEqual(optima[i]! * (1 - r.tol));
    });
    expect(io.stdout.trim().split('\n').map((l) => JSON.parse(l).instance)).toEqual(['G55', 'G81']);
  });
});
