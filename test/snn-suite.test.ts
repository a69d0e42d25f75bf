import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSnnSuite } from '../src/experiments/snn-suite.js';
import { bufferIo } from '../src/core/io.js';

describe('bench snn (tiny scale)', () => {
  it('reports ST, MAP and ensemble accuracy and ECE and writes the three SVGs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'snn-suite-'));
    const io = bufferIo();
    const out = join(dir, 'rows.jsonl');
    const rows = await runSnnSuite({ seed: 1, out }, io, { hidden: '6', epochs: 2, test: 30, grid: 4, extra: 'steps=16,burnin=3,neurons=4,train=30' });
    expect(rows.map((r) => r.network)).toEqual(['sign(u)', 'MAP sign(lambda)', 'ensemble of 10']);
    for (const r of rows) {
      expect(r.testAccuracy).toBeGreaterThanOrEqual(0);
      expect(r.testAccuracy).toBeLessThanOrEqual(1);
      expect(Number.isFinite(r.ece)).toBe(true);
    }
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(3);
    for (const f of ['snn-reliability.svg', 'snn-map-bayes.svg', 'snn-map-st.svg']) {
      expect(existsSync(join(dir, f))).toBe(true);
      expect(readFileSync(join(dir, f), 'utf8')).toMatch(/^<svg/);
    }
    expect(io.stdout).toMatch(/ensemble of 10/);
  }, 60_000);
});
