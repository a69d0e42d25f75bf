/** Sharding (src/experiments/shard.ts) and provenance (src/formats/provenance.ts). */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../src/core/errors.js';
import { parseShardText, shardFromEnvironment, shardUnits } from '../src/experiments/shard.js';
import { gitCommit, provenance, versionDifference } from '../src/formats/provenance.js';

describe('shards', () => {
  it('parts 1..N of any list hold every element exactly once, in order', () => {
    const items = Array.from({ length: 23 }, (_, k) => k);
    for (const n of [1, 2, 4, 7, 23, 30]) {
      const parts = Array.from({ length: n }, (_, i) => shardUnits(items, [i + 1, n]));
      expect(parts.flat().sort((a, b) => a - b)).toEqual(items);
      for (const p of parts) expect(p).toEqual([...p].sort((a, b) => a - b));
      // sizes differ by at most one
      expect(Math.max(...parts.map((p) => p.length)) - Math.min(...parts.map((p) => p.length))).toBeLessThanOrEqual(1);
    }
  });

  it('parses i/N and nothing else', () => {
    expect(parseShardText('2/8')).toEqual([2, 8]);
    for (const bad of ['0/3', '4/3', '1/0', '1', 'a/b', '1/2/3', '-1/2', '1.5/3']) expect(parseShardText(bad)).toBeUndefined();
  });

  it('--shard auto: Slurm arrays with any start and step, Kubernetes with a count', () => {
    const slurm = (id: number, min: number, step: number, count: number) =>
      shardFromEnvironment({ SLURM_ARRAY_TASK_ID: String(id), SLURM_ARRAY_TASK_MIN: String(min), SLURM_ARRAY_TASK_STEP: String(step), SLURM_ARRAY_TASK_COUNT: String(count) });
    expect(slurm(0, 0, 1, 4)).toEqual([1, 4]);
    expect(slurm(3, 0, 1, 4)).toEqual([4, 4]);
    expect(slurm(1, 1, 1, 4)).toEqual([1, 4]);
    expect(slurm(4, 1, 1, 4)).toEqual([4, 4]);
    expect(slurm(14, 0, 2, 8)).toEqual([8, 8]);
    expect(shardFromEnvironment({ JOB_COMPLETION_INDEX: '0' }, 3)).toEqual([1, 3]);
    expect(shardFromEnvironment({ JOB_COMPLETION_INDEX: '2', BNNRELAX_SHARD_COUNT: '3' })).toEqual([3, 3]);
    const refused: [NodeJS.ProcessEnv, number | undefined, RegExp][] = [
      [{}, undefined, /no scheduler index in the environment/],
      [{ SLURM_ARRAY_TASK_ID: '3' }, undefined, /SLURM_ARRAY_TASK_COUNT is not/],
      [{ SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_STEP: '2', SLURM_ARRAY_TASK_COUNT: '4' }, undefined, /not on the range/],
      [{ SLURM_ARRAY_TASK_ID: 'x1', SLURM_ARRAY_TASK_COUNT: '4' }, undefined, /SLURM_ARRAY_TASK_ID='x1' is not a non-negative integer/],
      [{ JOB_COMPLETION_INDEX: '1' }, undefined, /--shard-count N or set BNNRELAX_SHARD_COUNT/],
      [{ JOB_COMPLETION_INDEX: '3' }, 3, /not below the count 3/],
    ];
    for (const [env, count, message] of refused) expect(() => shardFromEnvironment(env, count)).toThrow(message);
    expect(() => shardFromEnvironment({})).toThrow(UserError);
  });
});

describe('provenance', () => {
  it('records version, commit (as git says), Node version and cores', () => {
    const p = provenance();
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
    expect(p.package).toBe('bnnrelax');
    expect(p.version).toBe(pkg.version);
    expect(p.node).toBe(process.version);
    expect(p.cores).toBe(availableParallelism());
    expect(p.commit).toBe(execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim());
  });

  it('reads the commit from loose refs, packed refs and a detached HEAD without running git', () => {
    const repo = mkdtempSync(join(tmpdir(), 'bnnrelax-git-'));
    const git = (...args: string[]) => execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { encoding: 'utf8' }).trim();
    git('init', '-q');
    writeFileSync(join(repo, 'a'), 'a');
    git('add', 'a');
    git('commit', '-qm', 'a');
    const head = git('rev-parse', 'HEAD');
    expect(gitCommit(repo)).toBe(head);
    git('pack-refs', '--all');
    expect(gitCommit(repo)).toBe(head);
    git('checkout', '-q', '--detach');
    expect(gitCommit(repo)).toBe(head);
    expect(gitCommit(join(repo, 'nowhere'))).toBeUndefined();
  });

  it('tells versions apart by version and commit', () => {
    const me = { package: 'bnnrelax', version: '1.0.0', commit: 'a'.repeat(40), node: 'v20', cores: 2 };
    expect(versionDifference(me, me)).toBeUndefined();
    expect(versionDifference({ ...me, commit: undefined }, me)).toBeUndefined();
    expect(versionDifference({ ...me, version: '0.9.0' }, me)).toMatch(/written by bnnrelax 0\.9\.0 \(commit aaaaaaaaaaaa\), this is bnnrelax 1\.0\.0/);
    expect(versionDifference({ ...me, commit: 'b'.repeat(40) }, me)).toMatch(/commit bbbbbbbbbbbb/);
    expect(versionDifference(undefined, me)).toMatch(/without provenance/);
  });
});
