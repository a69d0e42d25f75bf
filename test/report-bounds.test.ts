/**
 * `report`'s gap to the best proven bound (src/report/proven-bounds.ts, report-tables.ts
 * boundTables): from a results file written here by hand (a mip-refereed case with a bound only,
 * an old-style case scored by exact, a sign network bounded on its training error, a case with
 * no bound, a skipped and a failed case), every gap is recomputed plainly; a row with no bound
 * shows '-' (Markdown) or no key (JSON), never NaN or null. The recorded bench small file, written
 * before the referee fields existed, gives the same gaps as its recorded optima.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildReport, reportJson } from '../src/cli/commands/report.js';
import { boundTables } from '../src/report/report-tables.js';
import { cli, rowsOf } from './bench-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'bnnrelax-report-bounds-'));

const HINGE = 'teacher:n=40,m=160,test=500,noise=0.1,loss=hinge,data=gauss,seed=1';
const BQP = 'bqp:n=10,density=0.5,seed=1';
const NET = 'mlp:data=moons,arch=8-4-1,train=60,test=500,levels=4,seed=1';
const FREE = 'mlp:data=moons,arch=16-32-2,seed=1';

const mipRef = { refBy: 'mip', refOf: 'loss', refBound: 0.48, refProven: false, refBudgetMs: 30_000 };
const netRef = { refBy: 'mip', refOf: 'trainError', refBound: 0.1, refProven: false, refBudgetMs: 30_000 };
const row = (problem: string, solver: string, fields: Record<string, unknown>) => ({ case: `${problem}|${solver}|seed=1`, unit: problem, problem, solver, n: 10, seed: 1, iterations: 1, timeMs: 5, suite: 'bounds', ...fields });

const ROWS: Record<string, unknown>[] = [
  row(HINGE, 'mip', { loss: 0.5, bound: 0.48, ...mipRef }),
  row(HINGE, 'ste', { loss: 0.52, ...mipRef }),
  row(HINGE, 'local', { loss: 0.5, ...mipRef }),
  // as bench small wrote them before the referee fields: exact's optimum on every row, bm's own bound
  row(BQP, 'exact', { loss: -10, optimum: -10, gap: 0, proven: true }),
  row(BQP, 'local', { loss: -9, optimum: -10, gap: 1 }),
  row(BQP, 'bm', { loss: -10, bound: -10.5, optimum: -10, gap: 0 }),
  row(NET, 'mip', { loss: 0.4, trainError: 0.2, info: { trainErrorBound: 0.1, trainErrorProven: false }, ...netRef }),
  row(NET, 'ste', { loss: 0.45, trainError: 0.3, ...netRef }),
  row(FREE, 'ste', { loss: 0.3, trainError: 0.1 }),
  { case: `${FREE}|bop|seed=1`, skipped: 'not supported' },
  { case: `${FREE}|md|seed=1`, unit: FREE, problem: FREE, solver: 'md', error: 'failed' },
];

function writeResults(name: string, rows: object[]): string {
  const path = join(dir, name);
  writeFileSync(path, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return path;
}

type JsonRow = Record<string, string | number>;
const tableOf = (json: ReturnType<typeof reportJson>, title: string) => json.tables.find((t) => t.title === title)!.rows;

describe('report: gap to the best proven bound', () => {
  it('per solver: gaps, relative gaps, proven vs bounded, recomputed plainly', async () => {
    const path = writeResults('hand.jsonl', ROWS);
    const r = await cli('report', path, '--json');
    expect(r.code, r.err).toBe(0);
    expect(r.out).not.toMatch(/null|NaN|Infinity/);
    const json = JSON.parse(r.out) as ReturnType<typeof reportJson>;
    const perSolver = tableOf(json, 'Gap to the best proven bound, per solver');
    const line = (solver: string, of: string) => perSolver.find((x) => x.solver === solver && x.of === of) as JsonRow;

    // local: 0.5 - 0.48 on the hinge case (only a bound), -9 - (-10) on the bqp (exact's optimum)
    const local = line('local', 'loss');
    const localGaps = [0.5 - 0.48, -9 - -10];
    expect(local.cases).toBe(2);
    expect(local['optimum proven']).toBe(1);
    expect(local['bound only']).toBe(1);
    expect(local['at bound']).toBe(0);
    expect(local['mean gap']).toBeCloseTo((localGaps[0]! + localGaps[1]!) / 2, 12);
    expect(local['median gap']).toBeCloseTo((localGaps[0]! + localGaps[1]!) / 2, 12);
    expect(local['worst gap']).toBeCloseTo(1, 12);
    expect(local['mean rel gap']).toBeCloseTo((0.02 / 0.5 + 1 / 10) / 2, 12);

    // ste: a loss gap on the hinge case, a training-error gap on the sign network, no bound on the last
    expect(line('ste', 'loss')['mean gap']).toBeCloseTo(0.04, 12);
    expect(line('ste', 'loss')['mean rel gap']).toBeCloseTo(0.04 / 0.52, 12);
    expect(line('ste', 'train error')['mean gap']).toBeCloseTo(0.2, 12);
    expect(line('ste', 'train error')['mean rel gap']).toBeCloseTo(0.2 / 0.3, 12);
    const none = line('ste', '-');
    expect(none.cases).toBe(1);
    expect(Object.keys(none)).not.toContain('mean gap');
    expect(none['optimum proven']).toBe(0);

    // bm's own bound (-10.5) is below the proven optimum: the optimum is the best bound
    expect(line('bm', 'loss')['mean gap']).toBe(0);
    expect(line('bm', 'loss')['at bound']).toBe(1);
    expect(line('mip', 'train error')['mean gap']).toBeCloseTo(0.1, 12);
    // the failed and skipped cases are not rows of the tables
    expect(perSolver.some((x) => x.solver === 'md' || x.solver === 'bop')).toBe(false);

    const perCase = tableOf(json, 'Best proven bound per case');
    expect(perCase.map((x) => [x.problem, x.referee, x.of, x['best bound'], x.status, x['proved by']])).toEqual([
      [HINGE, 'mip', 'loss', 0.48, 'bound only', 'mip'],
      [BQP, undefined, 'loss', -10, 'optimal', 'exact'],
      [NET, 'mip', 'train error', 0.1, 'bound only', 'mip'],
      [FREE, undefined, undefined, undefined, 'none', undefined],
    ]);
    expect(perCase[0]!['referee budget s']).toBe(30);
    expect(perCase[0]!['best gap']).toBeCloseTo(0.02, 12);
    expect(perCase[1]!['solvers at bound']).toBe(2);
  });

  it('Markdown: the bound tables and their definitions; a row with no bound shows "-"', async () => {
    const { markdown } = await buildReport(ROWS.filter((r) => r.skipped === undefined) as never);
    expect(markdown).toMatch(/### Gap to the best proven bound, per solver/);
    expect(markdown).toMatch(/### Best proven bound per case/);
    expect(markdown).toMatch(/rel gap = gap \/ max\(\|value\|, \|bound\|\)/);
    expect(markdown).toMatch(/\| ste \| - \| 1 \| 0 \| 0 \| 0 \| - \| - \| - \| - \| - \|/);
    expect(markdown).toMatch(new RegExp(`\\| ${FREE.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\| - \\| - \\| - \\| - \\| none \\| - \\| - \\| - \\| - \\|`));
    expect(markdown).not.toMatch(/NaN|null|undefined/);
  });

  it('a file with no bound anywhere gets no bound tables', () => {
    expect(boundTables([row(FREE, 'ste', { loss: 0.3 })] as never)).toEqual([]);
  });

  it('an old bench small file: the gap to the best bound is the recorded gap to the optimum', () => {
    const rows = rowsOf('bench/results/small.jsonl') as never as Record<string, unknown>[];
    const json = reportJson(rows as never);
    const perSolver = tableOf(json, 'Gap to the best proven bound, per solver');
    for (const solver of ['ste', 'local', 'bm', 'md']) {
      const scored = rows.filter((r) => r.solver === solver && typeof r.optimum === 'number' && r.skipped === undefined && r.error === undefined);
      const want = scored.reduce((s, r) => s + (r.gap as number), 0) / scored.length;
      const got = perSolver.filter((x) => x.solver === solver && x.of === 'loss');
      expect(got.length, solver).toBe(1);
      // bm also ran on the MaxCut files, bounded by its own certificate only
      const boundOnly = rows.filter((r) => r.solver === solver && typeof r.optimum !== 'number' && typeof r.bound === 'number').length;
      expect(got[0]!['optimum proven']).toBe(scored.length);
      expect(got[0]!['bound only']).toBe(boundOnly);
      if (boundOnly === 0) expect(got[0]!['mean gap']).toBeCloseTo(want, 12);
    }
    const perCase = tableOf(json, 'Best proven bound per case');
    const teacher = perCase.find((x) => String(x.problem).startsWith('teacher:n=12,'))!;
    expect([teacher.status, teacher['proved by']]).toEqual(['optimal', 'exact']);
  });
});
