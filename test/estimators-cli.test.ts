import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/cli.js';
import { bufferIo } from '../src/core/io.js';
import { STUDY_ESTIMATORS } from '../solvers/estimators/index.js';
import { repsFor } from '../src/experiments/estimator-study.js';
import { pngConverterAvailable } from '../src/report/png.js';
import { loadNetwork } from '../src/formats/sbn-network.js';
import { twoClass2d, twoClassCsv } from '../problems/two-class-2d.js';
import { Rng } from '../src/numerics/rng.js';

type Rec = Record<string, number | string>;

/** Equal records, numbers to 1e-10 relative. */
function expectSameRecords(got: string, want: string): void {
  const g = JSON.parse(got) as Rec[];
  const w = JSON.parse(want) as Rec[];
  expect(g).toHaveLength(w.length);
  g.forEach((r, k) => {
    for (const [key, v] of Object.entries(w[k]!)) {
      if (typeof v === 'number') expect(Math.abs((r[key] as number) - v), `${k} ${key}`).toBeLessThanOrEqual(1e-10 * Math.max(1, Math.abs(v)));
      else expect(r[key]).toBe(v);
    }
  });
}

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

  const tiny = ['estimators', '--sizes', '2,3,3', '--samples', '1,10', '--budget', '20', '--max-reps', '2', '--json'];
  const find = (rs: Rec[], e: string, l: string, M: number) => rs.find((x) => x.estimator === e && x.layer === l && x.samples === M)!;

  it('--units 01 changes the metrics of layers fed by stochastic units, not of the first layer', async () => {
    const pm1 = JSON.parse((await run([...tiny, '--estimators', 'tanh'])).stdout) as Rec[];
    const r01 = await run([...tiny, '--estimators', 'tanh', '--units', '01']);
    expect(r01.code, r01.stderr).toBe(0);
    const b01 = JSON.parse(r01.stdout) as Rec[];
    expect(find(b01, 'tanh', 'layer 1', 1).relRmse).toBe(find(pm1, 'tanh', 'layer 1', 1).relRmse);
    expect(find(b01, 'tanh', 'layer 2', 1).relRmse).not.toBe(find(pm1, 'tanh', 'layer 2', 1).relRmse);
  });

  it('--save-network then --network (and --data) reproduces the same study', async () => {
    const net = join(dir, 'net.json');
    const a = await run([...tiny, '--estimators', 'tanh,psa', '--units', '01', '--save-network', net]);
    expect(a.code, a.stderr).toBe(0);
    expect(loadNetwork(net).units).toBe('01');
    const b = await run(['estimators', '--network', net, '--samples', '1,10', '--budget', '20', '--max-reps', '2', '--json', '--estimators', 'tanh,psa', '--units', '01']);
    expect(b.code, b.stderr).toBe(0);
    // the {0,1} file round-trips to rounding (W01 = 2 W, b01 = b - rowsum W and back)
    expectSameRecords(b.stdout, a.stdout);
    // the same network read in the other coding gives the other coding's numbers, not an error
    const c = await run(['estimators', '--network', net, '--samples', '1', '--json', '--estimators', 'tanh']);
    expect(c.code, c.stderr).toBe(0);
    // an explicit data file: the seed's own 200 points written as CSV give the same records
    const csv = join(dir, 'points.csv');
    writeFileSync(csv, twoClassCsv(twoClass2d(100, new Rng(1, 'estimators').fork('data'))));
    const d = await run(['estimators', '--network', net, '--data', csv, '--samples', '1,10', '--budget', '20', '--max-reps', '2', '--json', '--estimators', 'tanh,psa', '--units', '01']);
    expect(d.code, d.stderr).toBe(0);
    expectSameRecords(d.stdout, a.stdout);
  });

  it('--train sgd-reinforce --epochs studies each checkpoint, with one plot and network per checkpoint', async () => {
    const svg = join(dir, 'ck.svg');
    const net = join(dir, 'ck.json');
    const r = await run([...tiny, '--estimators', 'tanh', '--train', 'sgd-reinforce', '--epochs', '0,3', '--init', 'data-dependent', '--units', '01', '--plot', svg, '--save-network', net]);
    expect(r.code, r.stderr).toBe(0);
    const records = JSON.parse(r.stdout) as Rec[];
    expect(new Set(records.map((x) => x.epoch))).toEqual(new Set([0, 3]));
    for (const e of [0, 3]) {
      expect(readFileSync(join(dir, `ck-epoch${e}.svg`), 'utf8')).toContain(e === 0 ? 'before training' : 'sgd-reinforce epoch 3');
      expect(existsSync(join(dir, `ck-epoch${e}.json`))).toBe(true);
    }
    expect(JSON.stringify(loadNetwork(join(dir, 'ck-epoch0.json')))).not.toBe(JSON.stringify(loadNetwork(join(dir, 'ck-epoch3.json'))));
  });

  it('--grouping disjoint: floor(D/M) groups per M', async () => {
    const r = await run([...tiny, '--estimators', 'arm,tanh', '--grouping', 'disjoint', '--draws', '30', '--samples', '1,10,30']);
    expect(r.code, r.stderr).toBe(0);
    const records = JSON.parse(r.stdout) as Rec[];
    expect([1, 10, 30].map((M) => find(records, 'arm', 'layer 1', M).reps)).toEqual([30, 3, 1]);
    expect(find(records, 'tanh', 'layer 1', 10).reps).toBe(1);
  });

  it('-p arm=fresh is another ARM; the default is shared', async () => {
    const base = await run([...tiny, '--estimators', 'arm']);
    const shared = await run([...tiny, '--estimators', 'arm', '-p', 'arm=shared']);
    const fresh = await run([...tiny, '--estimators', 'arm', '-p', 'arm=fresh']);
    expect(shared.stdout).toBe(base.stdout);
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(fresh.stdout).not.toBe(base.stdout);
  });

  it('--estimators authors runs the estimators of the original figures, PSA included', async () => {
    const r = await run([...tiny, '--estimators', 'authors', '--samples', '1']);
    expect(r.code, r.stderr).toBe(0);
    const names = new Set((JSON.parse(r.stdout) as Rec[]).map((x) => x.estimator));
    expect(names).toEqual(new Set(['reinforce', 'arm', 'st-density', 'concrete:1', 'concrete:0.1', 'tanh', 'psa']));
  });

  it('--plot file.png writes a PNG where rsvg-convert exists, else says so in one line', async () => {
    const png = join(dir, 'est.png');
    const r = await run([...tiny, '--estimators', 'tanh', '--plot', png]);
    if (pngConverterAvailable()) {
      expect(r.code, r.stderr).toBe(0);
      expect(readFileSync(png).subarray(1, 4).toString('latin1')).toBe('PNG');
    } else {
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/rsvg-convert is not available/);
    }
  });

  it('refuses inconsistent network-study flags with one line and exit code 2', async () => {
    const badNet = join(dir, 'bad.json');
    writeFileSync(badNet, '{"units": "01", "layers": [{"weight": [[1, 2, 3]], "bias": [0]}, {"weight": [[1]], "bias": [0]}]}');
    for (const bad of [
      ['estimators', '--network', join(dir, 'net.json'), '--sizes', '2,3'],
      ['estimators', '--epochs', '1,2'],
      ['estimators', '--train', 'sgd-reinforce'],
      ['estimators', '--train', 'adam', '--epochs', '1'],
      ['estimators', '--train-epochs', '5', '--train', 'exact-adam', '--epochs', '5'],
      ['estimators', '--grouping', 'disjoint', '--draws', '100'],
      ['estimators', '--problem', 'bqp:n=6', '--train', 'sgd-reinforce', '--epochs', '1'],
      ['estimators', '--units', 'binary'],
      ['estimators', '--network', badNet],
      ['estimators', '--network', join(dir, 'missing.json')],
      ['estimators', '-p', 'arm=both'],
      ['estimators', '-p', 'tau=1'],
      ['estimators', '--plot', join(dir, 'no-such-dir', 'x.svg'), '--sizes', '2,2', '--samples', '1', '--estimators', 'tanh'],
    ]) {
      const r = await run(bad);
      expect(r.code, bad.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), bad.join(' ')).toHaveLength(1);
    }
  });
});

