/**
 * The SDPLIB max-cut instances of ../shared/data: each must reach a certified relative gap of at
 * most 1e-6 and match the README table to 1e-6 relative; the n = 800 instances (G1, G11, G14,
 * maxG11) too, with the default algorithm (a few seconds each), and G1's rounding must reach 0.95
 * of the bound. Timings are the benchmark's business (`bnnrelax bench sdp`).
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { referenceDataDir } from '../../src/formats/data-dir.js';
import { readReferenceTable } from '../../src/formats/reference-table.js';
import { readDiagSdp } from '../../src/formats/sdp-file.js';
import { solveDiagSdp, type BmAlgo } from '../../solvers/bm/solve-sdp.js';

const dir = referenceDataDir();
const table = readReferenceTable(dir);

describe('SDPLIB max-cut reference values', () => {
  it('the README table lists the SDPLIB and G-set instances', () => {
    expect(table.filter((t) => t.file.startsWith('sdplib/')).length).toBe(7);
    expect(table.find((t) => t.name === 'G1')?.sdpOptimum).toBe(12083.198);
  });

  const small = table.filter((t) => t.n <= 250);
  const large = table.filter((t) => t.n > 250);
  const runs: [string, BmAlgo][] = [
    ...small.map((t) => [t.name, 'mixing'] as [string, BmAlgo]),
    ['mcp124-1', 'lbfgs'],
    ['mcp250-1', 'lbfgs'],
    ['mcp124-2', 'newton'],
    ['G14', 'newton'],
    ...large.map((t) => [t.name, 'auto'] as [string, BmAlgo]),
  ];
  for (const [name, algo] of runs) {
    it(`${name} (${algo}): certified 1e-6 and matches the table to 1e-6`, () => {
      const ref = table.find((t) => t.name === name)!;
      // half a unit in the last decimal the README gives (4 for SDPLIB, 3 for G-set)
      const half = ref.file.startsWith('gset/') ? 5e-4 : 5e-5;
      const sdp = readDiagSdp(join(dir, ref.file));
      expect(sdp.n).toBe(ref.n);
      const sol = solveDiagSdp(sdp.C, sdp.sense, { algo, seed: 1, tol: 1e-6, maxTimeMs: 60_000 });
      expect(sol.certified).toBe(true);
      expect(sol.boundMethod).toBe('cholesky');
      expect(sol.relGap).toBeLessThanOrEqual(1e-6);
      expect(Math.abs(sol.objective - ref.sdpOptimum) / ref.sdpOptimum).toBeLessThanOrEqual(1e-6);
      // the table value lies in the certified bracket [objective, bound] up to its own rounding
      expect(ref.sdpOptimum).toBeLessThanOrEqual(sol.bound + half);
      expect(ref.sdpOptimum).toBeGreaterThanOrEqual(sol.objective - half);
      expect(sol.rounded).toBeLessThanOrEqual(sol.bound);
      if (ref.bestKnownCut !== undefined) expect(sol.rounded).toBeLessThanOrEqual(ref.bestKnownCut);
      if (name === 'G1') expect(sol.rounded / sol.bound).toBeGreaterThanOrEqual(0.95);
    });
  }
});
