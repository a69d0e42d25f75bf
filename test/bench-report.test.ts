/**
 * `bnnrelax report` on the results of every suite: the recorded files of bench small, mlp and
 * sdp in bench/results (sdp.jsonl from before case ids), fresh rows of bench sdp (two generated
 * graphs) and bench xnor, and hand-edited rows that must not crash it. Each plot is checked
 * through its data against a plain computation from the rows.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GAP_FLOOR, gapSpec, reportPlots } from '../src/report/plots.js';
import { cli, rowsOf, tinySdpData } from './bench-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'bnnrelax-report-'));

async function report(results: string, name: string) {
  const md = join(dir, `${name}.md`);
  const plots = join(dir, name);
  const r = await cli('report', results, '--out', md, '--plots', plots);
  expect(r.code, r.err).toBe(0);
  return { text: readFileSync(md, 'utf8'), plots: r.out.replace(/.*plots: /, '').trim().split(', ').filter(Boolean) };
}

/** The data values of a compiled plot spec (the specs keep them inline). */
const valuesOf = (spec: unknown) => (spec as { data: { values: Record<string, unknown>[] } }).data.values;

describe('report on every suite', () => {
  it('bench small: tables per solver and family, the gap against n on a log axis with bm visible', async () => {
    const { text, plots } = await report('bench/results/small.jsonl', 'small');
    expect(text).toMatch(/### Per problem family and solver/);
    expect(text).toMatch(/\| bqp \| bm \| 120 \|/);
    expect(plots.map((p) => p.split('/').pop())).toEqual(['gap-vs-n.svg']);
    expect(readFileSync(plots[0]!, 'utf8')).toMatch(/^<svg/);
    // the plotted means, recomputed plainly: mean of gap/|optimum| per (family, solver, n), 0 at the floor
    const rows = rowsOf('bench/results/small.jsonl');
    const bm20 = rows.filter((r) => r.solver === 'bm' && String(r.problem).startsWith('bqp:') && r.n === 20);
    const want = bm20.reduce((s, r) => s + (r.gap as number) / Math.abs(r.optimum as number), 0) / bm20.length;
    expect(want).toBeGreaterThan(0);
    const values = valuesOf(gapSpec(rows as never)!.spec);
    expect(values.find((v) => v.family === 'bqp' && v.solver === 'bm' && v.n === 20)!.gap).toBeCloseTo(want, 12);
    const lsqSte = values.filter((v) => v.family === 'lsq' && v.solver === 'ste');
    expect(lsqSte.map((v) => v.gap)).toEqual([GAP_FLOOR, GAP_FLOOR, GAP_FLOOR, GAP_FLOOR]);
    expect(values.some((v) => v.solver === 'exact')).toBe(false);
  });

  it('bench mlp: accuracy tables and the accuracy-vs-epochs plot', async () => {
    const { text, plots } = await report('bench/results/mlp.jsonl', 'mlp');
    expect(text).toMatch(/\| mlp mnist 784-256-10 \| ste \|/);
    expect(plots.map((p) => p.split('/').pop())).toEqual(['accuracy-vs-epochs.svg']);
  });

  it('bench sdp, rows written before case ids (bench/results/sdp.jsonl): per algorithm and per instance', async () => {
    const { text, plots } = await report('bench/results/sdp.jsonl', 'sdp-old');
    const rows = rowsOf('bench/results/sdp.jsonl');
    expect(text).toMatch(new RegExp(`${rows.length} cases of bench sdp`));
    for (const algo of ['auto', 'mixing', 'lbfgs']) {
      const rs = rows.filter((r) => r.algo === algo);
      const certified = rs.filter((r) => r.certified === true).length / rs.length;
      expect(text).toMatch(new RegExp(`\\| ${algo} \\| ${rs.length} \\| ${certified} \\|`));
    }
    expect(text).toMatch(/\| G1 \| auto \| 800 \| 41 \| yes \| 895 \|/);
    expect(plots.map((p) => p.split('/').pop())).toEqual(['sdp-time-to-certified.svg']);
  });

  it('bench sdp and bench xnor rows as written now', async () => {
    const data = tinySdpData(join(dir, 'data'));
    const sdp = join(dir, 'sdp.jsonl');
    expect((await cli('bench', 'sdp', '--data', data, '--out', sdp)).code).toBe(0);
    const s = await report(sdp, 'sdp-new');
    expect(s.text).toMatch(/6 cases of bench sdp/);
    expect(s.text).toMatch(/\| Gtiny2 \| lbfgs \| 160 \|/);
    const xnor = join(dir, 'xnor.jsonl');
    expect((await cli('bench', 'xnor', '--shard', '4/6', '--out', xnor)).code).toBe(0);
    const x = await report(xnor, 'xnor');
    expect(x.text).toMatch(/### XNOR: M x N x K = 4096 x 1 x 1024/);
    expect(x.text).toMatch(/\| ml-matrix \| \S+ \| yes \| 1x \|/);
    expect(x.plots.map((p) => p.split('/').pop())).toEqual(['xnor-mac-per-second.svg']);
    const plotted = valuesOf(reportPlots(rowsOf(xnor) as never)[0]!.spec);
    expect(plotted.map((v) => v.macPerSec)).toEqual(rowsOf(xnor).filter((r) => r.skipped === undefined).map((r) => r.macPerSec));
  });

  it('rows edited by hand (a number as problem, an epochLog of null or numbers) give a report, not a crash', async () => {
    const f = join(dir, 'odd.jsonl');
    writeFileSync(
      f,
      [
        { case: 'a', solver: 'ste', problem: 7, n: 3, gap: 0, optimum: 1, info: { epochLog: null } },
        { case: 'b', solver: 'md', problem: 'mlp:data=moons', info: { epochLog: [1, null, { epoch: 1, testError: 0.5 }, { epoch: 'x', testError: 0.1 }] } },
        { case: 'c', instance: 5, algo: 'auto', suite: 'sdp', certified: 'yes' },
        { case: 'd', suite: 'xnor', backend: 'js', macPerSec: 'fast' },
        { case: 'e', note: 'no known kind' },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n') + '\n',
    );
    const { text, plots } = await report(f, 'odd');
    expect(text).toMatch(/\| ste \| 1 \| 1 \|/);
    expect(plots.map((p) => p.split('/').pop())).toEqual(['gap-per-solver.svg', 'accuracy-vs-epochs.svg']);
    expect(text).not.toMatch(/NaN|null|undefined/);
  });
});
