import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { printSnnRows, runSnnExperiment, snnBenchSuite, snnSuiteAt } from '../src/experiments/snn-suite.js';
import { runSuite } from '../src/experiments/bench-runner.js';
import { bufferIo } from '../src/core/io.js';

describe('bench snn (tiny scale)', () => {
  it('reports ST, MAP and ensemble accuracy and ECE and writes the three SVGs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'snn-suite-'));
    const { rows, plots } = await runSnnExperiment(1, dir, { hidden: '6', epochs: 2, test: 30, grid: 4, extra: 'steps=16,burnin=3,neurons=4,train=30' });
    expect(rows.map((r) => r.network)).toEqual(['sign(u)', 'MAP sign(lambda)', 'ensemble of 10']);
    expect(new Set(rows.map((r) => r.case)).size).toBe(3);
    for (const r of rows) {
      expect(r.testAccuracy).toBeGreaterThanOrEqual(0);
      expect(r.testAccuracy).toBeLessThanOrEqual(1);
      expect(Number.isFinite(r.ece)).toBe(true);
    }
    expect(plots.map((p) => p.slice(dir.length + 1))).toEqual(['snn-reliability.svg', 'snn-map-bayes.svg', 'snn-map-st.svg']);
    for (const p of plots) {
      expect(existsSync(p)).toBe(true);
      expect(readFileSync(p, 'utf8')).toMatch(/^<svg/);
    }
    const io = bufferIo();
    printSnnRows(rows, io);
    expect(io.stdout).toMatch(/ensemble of 10/);
  }, 60_000);

  it('declares one unit whose case ids are the rows it emits', () => {
    const units = snnBenchSuite.units({ seed: 3 }, bufferIo());
    expect(units).toHaveLength(1);
    expect(units[0]!.caseIds).toHaveLength(3);
    expect(units[0]!.caseIds[0]).toMatch(/^snn:data=moons,hidden=64-64,test=500,seed=3\|ST-BiSNN\|sign\(u\)$/);
  });

  it('runs through the bench runner: rows to --out, plots beside it, resume skips the finished unit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'snn-runner-'));
    const out = join(dir, 'rows.jsonl');
    const suite = snnSuiteAt({ hidden: '5', epochs: 1, test: 20, grid: 3, extra: 'steps=12,burnin=2,neurons=3,train=20' });
    const io = bufferIo();
    const rows = await runSuite(suite, { seed: 2, out }, io);
    expect(rows).toHaveLength(3);
    expect(readFileSync(out, 'utf8').trim().split('\n').filter((l) => l.includes('"suite":"snn"'))).toHaveLength(3);
    expect(existsSync(join(dir, 'snn-map-bayes.svg'))).toBe(true);
    expect(io.stdout).toMatch(/MAP sign\(lambda\)/);
    const again = bufferIo();
    await runSuite(suite, { seed: 2, out, resume: true }, again);
    expect(readFileSync(out, 'utf8').trim().split('\n').filter((l) => l.includes('"suite":"snn"'))).toHaveLength(3);
  }, 60_000);
});
