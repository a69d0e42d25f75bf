/**
 * The reference MaxCut files as binary problems (`solve --problem FILE`): bm's bound on the loss
 * (minus the cut) must be minus the SDP optimum of the data README, and no cut found by any solver
 * may exceed the best known cut (for G-set) or the SDP bound.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { referenceDataDir } from '../../src/formats/data-dir.js';
import { readReferenceTable } from '../../src/formats/reference-table.js';
import { loadProblem } from '../../problems/index.js';
import { findSolver } from '../../solvers/index.js';
import { runSolver } from '../../src/core/solver.js';

const dir = referenceDataDir();
const table = readReferenceTable(dir);

describe('MaxCut files as binary problems', () => {
  for (const name of ['mcp100', 'mcp124-2', 'G14']) {
    it(`${name}: bm bound = -SDP optimum, cuts within the bounds`, async () => {
      const ref = table.find((t) => t.name === name)!;
      const problem = loadProblem(join(dir, ref.file));
      const bm = await runSolver(findSolver('bm'), problem, { seed: 1 });
      const sdp = -bm.bound!;
      const half = ref.file.startsWith('gset/') ? 5e-4 : 5e-5;
      expect(Math.abs(sdp - ref.sdpOptimum)).toBeLessThanOrEqual(half + 1e-6 * ref.sdpOptimum);
      const local = await runSolver(findSolver('local'), problem, { seed: 1 });
      for (const r of [bm, local]) {
        expect(-r.loss).toBeLessThanOrEqual(sdp);
        if (ref.bestKnownCut !== undefined) expect(-r.loss).toBeLessThanOrEqual(ref.bestKnownCut);
      }
      expect(-bm.loss / sdp).toBeGreaterThan(0.9);
    });
  }
});
