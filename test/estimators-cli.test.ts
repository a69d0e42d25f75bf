import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/cli.js';
import { bufferIo } from '../src/core/io.js';
import { STUDY_ESTIMATORS } from '../solvers/estimators/index.js';
import { repsFor } from '../src/experiments/estimator-study.js';

async function run(args: string[]) {
  const io = bufferIo();
  const code = await runCli(args, io);
  return { code, ...io };
}

describe('bnnrelax estimators', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bnnrelax-est-'));
  const small = ['estimators', '--sizes', '2,3,3', '--samples', '1,10,100', '--budget', '300', '--max-reps', '12'];

  it('reports every estimator on every layer at every M, and writes CSV and an SVG plot', async () => {
    const csv = join(dir, 'est.csv');
    const svg = join(dir, 'est.svg');
    const r = await run([...small, '--json', '--csv', csv, '--plot', svg]);
    expect(r.code, r.stderr).toBe(0);
    const records = JSON.parse(r.stdout) as Array<Record<string, number | string>>;
    const layers = ['layer 1', 'layer 2', 'layer 3'];
    expect(records).toHaveLength(STUDY_ESTIMATORS.length * layers.length * 3);
    for (const e of STUDY_ESTIMATORS) for (const l of layers) for (const M of [1, 10, 100]) {
      const rec = records.find((x) => x.estimator === e && x.layer === l && x.samples === M);
      expect(rec, `${e} ${l} ${M}`).toBeDefined();
      expect(rec!.cosineP15 as number).toBeLessThanOrEqual(rec!.cosineP85 as number);
      expect(Math.abs(rec!.cosine as number)).toBeLessThanOrEqual(1 + 1e-12);
    }
    // unbiased estimators: error falls with M, roughly like 1/sqrt(M) over two decades
    for (const e of ['reinforce', 'arm']) for (const l of layers) {
      const at = (M: number) => records.find((x) => x.estimator === e && x.layer === l && x.samples === M)!.relRmse as number;
      expect(at(100)).toBeLessThan(at(1) / 4);
    }
    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('estimator,layer,samples,reps,relRmse,relErrP15,relErrP85,cosine,cosineMedian,cosineP15,cosineP85,epoch');
    expect(lines).toHaveLength(records.length + 1);
    const plot = readFileSync(svg, 'utf8');
    expect(plot.startsWith('<svg')).toBe(true);
    for (const e of STUDY_ESTIMATORS) expect(plot, e).toContain(`>${e}<`);
    for (const l of layers) expect(plot).toContain(`>${l}<`);
  });

  it('same seed, same records; another seed, other records', async () => {
    const a = await run([...small, '--json', '--estimators', 'arm,st-density']);
    const b = await run([...small, '--json', '--estimators', 'arm,st-density']);
    const c = await run([...small, '--json', '--estimators', 'arm,st-density', '--seed', '2']);
    expect(a.stdout).toBe(b.stdout);
    expect(c.stdout).not.toBe(a.stdout);
  });

  it('studies Bernoulli weights of a problem, with the analytic estimator when quadratic', async () => {
    const r = await run(['estimators', '--problem', 'lsq:n=8,m=16,seed=1', '--samples', '1,10', '--budget', '50', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const records = JSON.parse(r.stdout) as Array<Record<string, number | string>>;
    const analytic = records.filter((x) => x.estimator === 'analytic');
    expect(analytic).toHaveLength(2);
    for (const x of analytic) expect(x.relRmse as number).toBeLessThan(1e-9);
  });

  it('prints a table, and refuses bad input with one line and exit code 2', async () => {
    const t = await run([...small, '--estimators', 'tanh']);
    expect(t.code).toBe(0);
    expect(t.stdout).toContain('rel RMSE');
    for (const bad of [
      ['estimators', '--sizes', '3,5'],
      ['estimators', '--sizes', '2,13'],
      ['estimators', '--samples', '0,10'],
      ['estimators', '--estimators', 'nope'],
      ['estimators', '--problem', 'bqp:n=30'],
      ['estimators', '--problem', 'teacher:n=6,loss=01', '--estimators', 'st-density'],
    ]) {
      const r = await run(bad);
      expect(r.code, bad.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), bad.join(' ')).toHaveLength(1);
    }
  });

  it('repetitions follow the budget', () => {
    expect(repsFor(1, { budget: 10000, minReps: 2, maxReps: 100 })).toBe(100);
    expect(repsFor(1000, { budget: 10000, minReps: 2, maxReps: 100 })).toBe(10);
    expect(repsFor(10000, { budget: 10000, minReps: 2, maxReps: 100 })).toBe(2);
  });
});
