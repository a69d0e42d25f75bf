import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { caseIds, cli, rowsOf } from './bench-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'bnnrelax-bench-'));
const full = join(dir, 'full.jsonl');
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

describe('bench suites', () => {
  it('smoke runs every case once and writes one JSON line per case, with provenance', async () => {
    const r = await cli('bench', 'smoke', '--out', full);
    expect(r.code).toBe(0);
    const ids = caseIds(full);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(15);
    expect(ids.some((id) => id.startsWith('mlp:') && id.includes('|vispa|'))).toBe(true);
    const rows = rowsOf(full);
    const row = rows[1]!;
    expect(row.optimum).toBeTypeOf('number');
    expect(row.gap).toBeGreaterThanOrEqual(-1e-9);
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
    for (const r of rows) {
      const p = r.provenance as Record<string, unknown>;
      expect([r.suite, p.package, p.version, p.node, p.cases]).toEqual(['smoke', 'bnnrelax', pkg.version, process.version, rows.length]);
      expect(p.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(p.caseSet).toMatch(/^[0-9a-f]{16}$/);
    }
    // the parameters the case ran with: the solver's defaults merged with the suite's settings
    const md = rows.find((r) => String(r.case).startsWith('mlp:') && r.solver === 'md')!;
    expect((md.provenance as { params: Record<string, unknown> }).params).toMatchObject({ estimator: 'st-density', samples: 1, lr: 0.1, epochs: 5, batch: 50 });
    // a solver that does not support a problem is recorded as skipped, with its reason
    const skipped = rows.filter((r) => r.skipped !== undefined);
    expect(skipped.length).toBeGreaterThan(0);
    for (const s of skipped) expect(s.skipped).toMatch(/solver '[\w-]+'/);
  });

  it('--out on an existing results file without --resume is refused and the file left byte for byte', async () => {
    const before = readFileSync(full);
    for (const args of [[], ['--json'], ['--shard', '1/3']]) {
      const r = await cli('bench', 'smoke', '--out', full, ...args);
      expect(r.code).toBe(2);
      expect(r.err).toBe(`bnnrelax: ${full}: already holds results (${before.length} bytes); --resume to continue it, --overwrite to replace it\n`);
      expect(readFileSync(full).equals(before)).toBe(true);
    }
    const copy = join(dir, 'copy.jsonl');
    writeFileSync(copy, before);
    expect((await cli('bench', 'smoke', '--out', copy, '--overwrite', '--shard', '4/4')).code).toBe(0);
    expect(caseIds(copy).length).toBeLessThan(caseIds(full).length);
  });

  it('--resume cuts off a torn last line before appending', async () => {
    const out = join(dir, 'torn.jsonl');
    const lines = readFileSync(full, 'utf8').split('\n');
    writeFileSync(out, lines.slice(0, 4).join('\n') + '\n' + lines[4]!.slice(0, 30));
    expect((await cli('bench', 'smoke', '--out', out, '--resume')).code).toBe(0);
    expect([...caseIds(out)].sort()).toEqual([...caseIds(full)].sort());
    expect(rowsOf(out)).toHaveLength(caseIds(full).length);
  });

  it('--resume refuses another suite, another case set or shard, another version (unless --mix-versions), a duplicated case', async () => {
    const text = readFileSync(full, 'utf8');
    const lines = text.trimEnd().split('\n');
    const file = (name: string, content: string) => {
      const f = join(dir, name);
      writeFileSync(f, content);
      return f;
    };
    const otherVersion = lines.map((l, k) => (k === 2 ? l.replace(/"version":"[^"]*"/, '"version":"0.0.1"') : l)).join('\n') + '\n';
    const cases: [string[], RegExp][] = [
      [['bench', 'mlp', '--resume', '--out', file('a.jsonl', text)], /a\.jsonl:1: a row of bench smoke, not of bench mlp; give another --out$/],
      [['bench', 'smoke', '--resume', '--solvers', 'ste', '--out', file('b.jsonl', text)], /b\.jsonl:1: written for another case set \(\d+ cases; this run: \d+ cases\); resume with the --seed, --solvers, --shard and --data it started with$/],
      [['bench', 'smoke', '--resume', '--seed', '2', '--out', file('c.jsonl', text)], /c\.jsonl:1: written for another case set/],
      [['bench', 'smoke', '--resume', '--shard', '1/2', '--out', file('d.jsonl', text)], /d\.jsonl:1: written for another case set \(\d+ cases; this run: \d+ cases, shard 1\/2\)/],
      [['bench', 'smoke', '--resume', '--out', file('e.jsonl', otherVersion)], /e\.jsonl:3: written by bnnrelax 0\.0\.1 \(commit [0-9a-f]{12}\), this is bnnrelax \S+ \(commit [0-9a-f]{12}\); --mix-versions resumes it anyway$/],
      [['bench', 'smoke', '--resume', '--out', file('f.jsonl', lines[0] + '\n' + lines[1] + '\n' + lines[0] + '\n')], /f\.jsonl:3: case '.*\|exact\|seed=1' is already at line 1$/],
      [['bench', 'smoke', '--resume', '--out', file('g.jsonl', '{"case":"x","suite":"smoke"}\n')], /g\.jsonl:1: written without provenance \(an older bnnrelax\)/],
    ];
    for (const [argv, message] of cases) {
      const path = argv[argv.length - 1]!;
      const before = readFileSync(path);
      const r = await cli(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err.trim()).toMatch(message);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(readFileSync(path).equals(before)).toBe(true);
    }
    const mixed = file('h.jsonl', otherVersion);
    expect((await cli('bench', 'smoke', '--resume', '--mix-versions', '--out', mixed)).code).toBe(0);
    expect(statSync(mixed).size).toBe(otherVersion.length);
  });

  it('shard outputs concatenated equal the unsharded cases', async () => {
    const parts: string[] = [];
    for (let i = 1; i <= 3; i++) {
      const out = join(dir, `shard${i}.jsonl`);
      expect((await cli('bench', 'smoke', '--out', out, '--shard', `${i}/3`)).code).toBe(0);
      parts.push(...caseIds(out));
    }
    expect(new Set(parts).size).toBe(parts.length);
    expect(parts.sort()).toEqual(caseIds(full).sort());
  });

  it('report writes per-solver tables and SVG plots', async () => {
    const md = join(dir, 'report.md');
    const r = await cli('report', full, '--out', md, '--plots', join(dir, 'plots'));
    expect(r.code).toBe(0);
    const text = readFileSync(md, 'utf8');
    expect(text).toMatch(/\| solver \| cases \| solved \| mean gap \| worst gap \| mean rel gap \| train acc \| test acc \| mean ms \|/);
    expect(text).toMatch(/\| vispa \| 4 \|/);
    expect(text).toMatch(/\d+ cases could not run where they were run, e\.g\. `.*`: solver '/);
    // smoke has one n per family: the gap plot is a dot per solver, not lines over one n
    for (const f of ['gap-per-solver.svg', 'accuracy-vs-epochs.svg']) expect(readFileSync(join(dir, 'plots', f), 'utf8')).toMatch(/^<svg/);
  });

  it('bad input: unknown suite, option clashes, unreadable or malformed results file', async () => {
    writeFileSync(join(dir, 'bad.jsonl'), '{"case":"a"}\nnot json\n');
    const cases: [string[], RegExp][] = [
      [['bench', 'nosuch'], /unknown bench suite 'nosuch'/],
      [['report', join(dir, 'missing.jsonl')], /missing\.jsonl: cannot read/],
      [['report', join(dir, 'bad.jsonl')], /bad\.jsonl:2: not a JSON line/],
      [['report', full, '--plots', '/proc/nope/x'], /\/proc\/nope\/x: cannot create \(E[A-Z]+\)/],
      [['bench', 'smoke', '--solvers', 'nosolver'], /unknown solver 'nosolver'/],
      [['bench', 'smoke', '--out', join(dir, 'x.jsonl'), '--resume', '--overwrite'], /--resume and --overwrite exclude each other/],
      [['bench', 'smoke', '--overwrite'], /--overwrite needs --out FILE/],
      [['bench', 'smoke', '--shard', '1/2', '--shard-count', '2'], /--shard-count goes with --shard auto/],
      [['bench', 'smoke', '--shard', '0/2'], /expected i\/N with 1 <= i <= N/],
      [['bench', 'smoke', 'extra.jsonl'], /unexpected argument 'extra\.jsonl'/],
      [['bench', 'merge'], /bench merge: give the results files to merge/],
      [['bench', 'merge', full, '--resume'], /bench merge takes neither --resume nor --shard/],
    ];
    for (const [argv, message] of cases) {
      const r = await cli(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err).toMatch(message);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    }
  });

  it('--shard auto without a scheduler index is a one-line error', async () => {
    const saved = { ...process.env };
    delete process.env.SLURM_ARRAY_TASK_ID;
    delete process.env.JOB_COMPLETION_INDEX;
    try {
      const r = await cli('bench', 'smoke', '--shard', 'auto');
      expect(r.code).toBe(2);
      expect(r.err).toMatch(new RegExp(`^bnnrelax: ${escape('--shard auto: no scheduler index in the environment')}`));
    } finally {
      process.env = saved;
    }
  });
});

describe('small suite definition', () => {
  it('has 360 instances (3 families x n = 12..24 x 30 seeds), each with exact first and unique case ids', async () => {
    const { smallUnits } = await import('../src/experiments/solver-suites.js');
    // an empty data folder: no MaxCut files, only the generated instances
    const empty = join(dir, 'no-reference-data');
    mkdirSync(empty, { recursive: true });
    const units = smallUnits({ seed: 1, data: empty });
    expect(units).toHaveLength(360);
    const ids = units.flatMap((u) => u.caseIds);
    expect(new Set(ids).size).toBe(ids.length);
    for (const u of units) expect(u.caseIds[0]).toMatch(/\|exact\|seed=1$/);
    expect(new Set(units.map((u) => /^(\w+):n=(\d+)/.exec(u.key)!.slice(1).join(' '))).size).toBe(12);
  });

  it("names a MaxCut file's cases by its path inside the data folder, so two folders give the same ids", async () => {
    const { smallUnits } = await import('../src/experiments/solver-suites.js');
    const idsIn = (folder: string) => {
      mkdirSync(join(folder, 'gset'), { recursive: true });
      writeFileSync(join(folder, 'gset', 'tiny.txt'), '3 2\n1 2 1\n2 3 1\n');
      return smallUnits({ seed: 1, data: folder }).filter((u) => u.key.includes('tiny')).flatMap((u) => u.caseIds);
    };
    const a = idsIn(join(dir, 'data-a'));
    expect(a).toEqual(['gset/tiny.txt|bm|seed=1']);
    expect(idsIn(join(dir, 'elsewhere', 'data-b'))).toEqual(a);
  });
});
