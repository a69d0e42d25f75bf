import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/cli.js';
import { bufferIo } from '../src/core/io.js';

const dir = mkdtempSync(join(tmpdir(), 'bnnrelax-bench-'));

async function cli(...argv: string[]) {
  const io = bufferIo();
  const code = await runCli(argv, io);
  return { code, out: io.stdout, err: io.stderr };
}

function caseIds(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l).case as string);
}

const full = join(dir, 'full.jsonl');

describe('bench suites', () => {
  it('smoke runs every case once and writes one JSON line per case', async () => {
    const r = await cli('bench', 'smoke', '--out', full);
    expect(r.code).toBe(0);
    const ids = caseIds(full);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(15);
    expect(ids.some((id) => id.startsWith('mlp:') && id.includes('|vispa|'))).toBe(true);
    const row = JSON.parse(readFileSync(full, 'utf8').split('\n')[1]!);
    expect(row.optimum).toBeTypeOf('number');
    expect(row.gap).toBeGreaterThanOrEqual(-1e-9);
  });

  it('a killed run resumed with --resume ends with every case exactly once', async () => {
    const out = join(dir, 'killed.jsonl');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'bench', 'smoke', '--out', out], { stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (existsSync(out) && readFileSync(out, 'utf8').split('\n').length > 3) {
          clearInterval(poll);
          child.kill('SIGKILL');
          resolve();
        }
      }, 5);
    });
    await exited;
    const before = caseIds(out);
    const expected = caseIds(full);
    expect(before.length).toBeLessThan(expected.length);
    const r = await cli('bench', 'smoke', '--out', out, '--resume');
    expect(r.code).toBe(0);
    const after = caseIds(out);
    expect(new Set(after).size).toBe(after.length);
    expect([...after].sort()).toEqual([...expected].sort());
    expect(after.slice(0, before.length)).toEqual(before);
  });

  it('--resume cuts off a torn last line before appending', async () => {
    const out = join(dir, 'torn.jsonl');
    const lines = readFileSync(full, 'utf8').split('\n');
    writeFileSync(out, lines.slice(0, 4).join('\n') + '\n' + lines[4]!.slice(0, 30));
    expect((await cli('bench', 'smoke', '--out', out, '--resume')).code).toBe(0);
    expect([...caseIds(out)].sort()).toEqual([...caseIds(full)].sort());
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
    for (const f of ['gap-vs-n.svg', 'accuracy-vs-epochs.svg']) expect(readFileSync(join(dir, 'plots', f), 'utf8')).toMatch(/^<svg/);
  });

  it('bad input: unknown suite, unreadable or malformed results file', async () => {
    writeFileSync(join(dir, 'bad.jsonl'), '{"case":"a"}\nnot json\n');
    const cases: [string[], RegExp][] = [
      [['bench', 'nosuch'], /unknown bench suite 'nosuch'/],
      [['report', join(dir, 'missing.jsonl')], /missing\.jsonl: cannot read/],
      [['report', join(dir, 'bad.jsonl')], /bad\.jsonl:2: not a JSON line/],
      [['bench', 'smoke', '--solvers', 'nosolver'], /unknown solver 'nosolver'/],
    ];
    for (const [argv, message] of cases) {
      const r = await cli(...argv);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(message);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    }
  });
});

describe('small suite definition', () => {
  it('has 360 instances (3 families x n = 12..24 x 30 seeds), each with exact first and unique case ids', async () => {
    const { smallUnits } = await import('../src/experiments/solver-suites.js');
    const units = smallUnits({ seed: 1, data: join(dir, 'no-reference-data') });
    expect(units).toHaveLength(360);
    const ids = units.flatMap((u) => u.caseIds);
    expect(new Set(ids).size).toBe(ids.length);
    for (const u of units) expect(u.caseIds[0]).toMatch(/\|exact\|seed=1$/);
    expect(new Set(units.map((u) => /^(\w+):n=(\d+)/.exec(u.key)!.slice(1).join(' '))).size).toBe(12);
  });
});
