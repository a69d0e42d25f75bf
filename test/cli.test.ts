import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { runCli } from '../src/cli/cli.js';
import { bufferIo } from '../src/core/io.js';
import { signsFromString } from '../src/core/signs.js';
import { loadProblem } from '../problems/index.js';
import { DEMO_PROBLEMS } from '../src/cli/commands/demo.js';
import { wideDemoTable } from '../src/report/demo-table.js';
import type { SolverResult } from '../src/core/result.js';

async function cli(...argv: string[]) {
  const io = bufferIo();
  const code = await runCli(argv, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'bnnrelax-cli-'));

describe('bnnrelax solve', () => {
  it('--json prints exactly one JSON object with the result fields', async () => {
    const r = await cli('solve', '--problem', 'teacher:n=12,m=30,noise=0.1,loss=hinge,seed=2', '--solver', 'exact', '--json');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const res = JSON.parse(lines[0]!);
    for (const key of ['problem', 'solver', 'n', 'seed', 'loss', 'weights', 'optimum', 'gap', 'proven', 'trainError', 'testError', 'iterations', 'timeMs']) {
      expect(res).toHaveProperty(key);
    }
    expect(res.loss).toBe(loadProblem(res.problem).loss(signsFromString(res.weights)));
  });

  it('the same seed gives identical JSON except timeMs; another seed may differ', async () => {
    const run = async (seed: string) => {
      const r = await cli('solve', '--problem', 'lsq:n=20,m=10,noise=2,seed=3', '--solver', 'ste', '--seed', seed, '--json', '-p', 'iters=200');
      const { timeMs, ...rest } = JSON.parse(r.stdout);
      expect(timeMs).toBeGreaterThanOrEqual(0);
      return JSON.stringify(rest);
    };
    expect(await run('5')).toBe(await run('5'));
    const runs = new Set([await run('1'), await run('2'), await run('3'), await run('4')]);
    expect(runs.size).toBeGreaterThan(1);
  });

  it('prints a readable summary and writes --out', async () => {
    const out = join(dir, 'r.json');
    const r = await cli('solve', '--problem', 'lsq:n=10,seed=1', '--solver', 'local', '--out', out, '--polish');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^problem\s+lsq:n=10/m);
    expect(r.stdout).toMatch(/^loss\s+/m);
    expect(JSON.parse(readFileSync(out, 'utf8')).solver).toBe('local');
  });

  it('lists solvers and problems', async () => {
    expect((await cli('solvers')).stdout).toMatch(/ste: .*\n\s+-p lr=<number>/);
    expect((await cli('problems')).stdout).toMatch(/teacher: /);
  });
});

describe('bad input: one line on stderr, exit code 2', () => {
  const nonsym = join(dir, 'nonsym.json');
  writeFileSync(nonsym, '{"Q": [[0, 1], [2, 0]]}');
  const shape = join(dir, 'shape.json');
  writeFileSync(shape, '{"Q": 3}');
  const nan = join(dir, 'nan.json');
  writeFileSync(nan, '{"Q": [[0, "NaN"], ["NaN", 0]]}');
  const inf = join(dir, 'inf.json');
  writeFileSync(inf, '{"Q": [[0, 1e999], [1e999, 0]]}');
  const cases: [string, string[], RegExp][] = [
    ['unknown solver', ['solve', '--problem', 'lsq:n=5', '--solver', 'magic'], /unknown solver 'magic' \(known: exact/],
    ['unknown problem', ['solve', '--problem', 'cube:n=5'], /unknown problem 'cube'/],
    ['unknown option', ['solve', '--problem', 'lsq:n=5', '--fast'], /unknown option '--fast'/],
    ['unknown command', ['sovle'], /unknown command 'sovle'/],
    ['malformed spec key', ['solve', '--problem', 'lsq:n=5,nosie=1'], /unknown key 'nosie'/],
    ['malformed spec value', ['solve', '--problem', 'teacher:n=five'], /key 'n' must be a finite decimal number/],
    ['unreadable file', ['solve', '--problem', join(dir, 'none.json')], /none.json: no such file/],
    ['wrong shape', ['solve', '--problem', shape], /"Q" must be a non-empty array/],
    ['non-symmetric Q', ['solve', '--problem', nonsym], /not symmetric/],
    ['NaN', ['solve', '--problem', nan], /not a finite number/],
    ['Infinity', ['solve', '--problem', inf], /not a finite number/],
    ['n too large for exact', ['solve', '--problem', 'bqp:n=40', '--solver', 'exact'], /limited to n <= 30/],
    ['bad seed', ['solve', '--problem', 'lsq:n=5', '--seed', '-3'], /--seed/],
    ['bad param', ['solve', '--problem', 'lsq:n=5', '--solver', 'ste', '-p', 'lr=fast'], /parameter 'lr' must be a finite number/],
    ['missing problem', ['solve'], /required option '--problem/],
    ['unwritable --out', ['solve', '--problem', 'lsq:n=5', '--out', join(dir, 'no/such/dir/r.json')], /cannot write/],
  ];
  it.each(cases)('%s', async (_name, argv, message) => {
    const r = await cli(...argv);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('the real process exits 2 with one line and no stack trace', () => {
    const p = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'solve', '--problem', 'bqp:n=40', '--solver', 'exact'], { encoding: 'utf8' });
    expect(p.status).toBe(2);
    expect(p.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^bnnrelax: solver 'exact' enumerates .* n <= 30/)]);
    expect(p.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });
});

describe('bnnrelax demo', () => {
  let compact: { code: number; stdout: string };
  it('is the default command: a compact table (a row per problem, a column per solver) and a one-line summary', async () => {
    compact = await cli();
    expect(compact.code).toBe(0);
    const lines = compact.stdout.trimEnd().split('\n');
    expect(lines[2]).toMatch(/^problem\s+optimum\s+ste\s+bop\s+local\s/);
    for (const line of lines.slice(0, -1)) expect(line.length).toBeLessThanOrEqual(120); // the table; the summary is prose
    expect(lines.filter((l) => /^(teacher|lsq):/.test(l))).toHaveLength(DEMO_PROBLEMS.length);
    expect(lines.at(-1)).toMatch(/^\d+ of \d+ runs reached the proven optimum.*; [0-9.]+ s solving$/);
  });

  it('--json gives results whose gaps are non-negative against exact; the summary and --wide table agree with them', async () => {
    const r = await cli('demo', '--json');
    const results = JSON.parse(r.stdout) as SolverResult[];
    expect(results.length).toBeGreaterThan(10);
    for (const res of results) {
      if (res.bound !== undefined) expect(res.bound).toBeLessThanOrEqual(res.optimum! + 1e-9 * Math.max(1, Math.abs(res.optimum!)));
      expect(res.gap).toBeGreaterThanOrEqual(-1e-9 * Math.max(1, Math.abs(res.optimum!)));
      if (res.solver === 'exact') expect(res.gap).toBe(0);
    }
    // same seed, same runs: the compact summary counts the runs with gap 0 in the JSON
    const optimal = results.filter((x) => x.gap! <= 1e-9 * Math.max(1, Math.abs(x.optimum!))).length;
    expect(compact.stdout).toContain(`${optimal} of ${results.length} runs reached the proven optimum`);
    const wide = wideDemoTable(results).trimEnd().split('\n');
    expect(wide[0]).toMatch(/problem\s+solver\s+loss\s+bound\s+optimum\s+gap\s+train err\s+test err\s+time ms/);
    expect(wide).toHaveLength(results.length + 2);
  });
});
