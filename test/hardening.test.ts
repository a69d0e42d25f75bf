import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../src/cli/cli.js';
import { bufferIo } from '../src/core/io.js';

/** The reproducers of the reliability pass (issue 17): each is a one-line error with exit 2, or a correct answer. */
async function cli(...argv: string[]) {
  const io = bufferIo();
  const code = await runCli(argv, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'bnnrelax-hard-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

async function expectOneLineError(argv: string[], message: RegExp) {
  const r = await cli(...argv);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(message);
}

describe('sizes and values are checked before allocating', () => {
  it.each([
    ['bqp:n=5,seed=1e20', /seed.*integer of at most 2\^53/],
    ['bqp:n=0b101', /'n' must be a finite decimal number, got '0b101'/],
    ['bqp:n=100000', /dense 100000 x 100000 matrix Q needs about 75 GiB, more than/],
    ['lsq:n=10,m=1000000000000', /needs about .* more than/],
    ['teacher:n=10,m=1000000000000', /needs about .* more than/],
    ['lsq:n=4,noise=1e300', /'noise' must be <= 1000000/],
  ])('%s', async (spec, message) => {
    await expectOneLineError(['solve', '--problem', spec, '--solver', 'local'], message);
  });

  it('G-set headers that announce more than the file holds, or weights that would overflow', async () => {
    await expectOneLineError(['sdp', file('big-m.txt', '8 1000000000000\n1 2 1\n')], /big-m.txt:1: line 1 announces 1000000000000 edges, but the file has only 1 more lines/);
    await expectOneLineError(['sdp', file('huge.txt', '3 2\n1 2 1e308\n2 3 1e308\n')], /huge.txt:2: the weights' absolute sum passes/);
    await expectOneLineError(['sdp', file('hex.txt', '3 2\n1 2 0x1\n2 3 1\n')], /hex.txt:2: the weight must be a finite decimal number, got '0x1'/);
    await expectOneLineError(['sdp', file('inf.txt', '3 2\n1 2 1e400\n2 3 1\n')], /inf.txt:2: the weight must be a finite decimal number/);
  });

  it('SDPA: a header with a trailing comment is SDPA whatever the extension; huge entries refused', async () => {
    const sdpa = '2 =mdim\n1 =nblocks\n2\n1.0 1.0\n0 1 1 2 -0.5\n1 1 1 1 1.0\n2 1 2 2 1.0\n';
    const r = await cli('sdp', file('comment.txt', sdpa), '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).n).toBe(2);
    await expectOneLineError(['sdp', file('big.dat-s', '2\n1\n2\n1 1\n0 1 1 2 1e308\n0 1 1 1 1e308\n1 1 1 1 1\n2 1 2 2 1\n')], /big.dat-s:5: the entries of F0 have an absolute sum above/);
    await expectOneLineError(['sdp', file('many.dat-s', '100000000\n1\n100000000\n1\n')], /100000000 constraints need at least/);
  });

  it('an empty test set reports no testError', async () => {
    const r = await cli('solve', '--problem', 'teacher:n=8,m=20,test=0,seed=1', '--solver', 'exact', '--json');
    expect(r.code).toBe(0);
    const res = JSON.parse(r.stdout);
    expect(res).toHaveProperty('trainError');
    expect(res).not.toHaveProperty('testError');
  });
});

describe('solver state and data folders', () => {
  it('bayesbinn: out-of-range parameters are refused, an overflowing state is an error, not weights', async () => {
    await expectOneLineError(['solve', '--problem', 'lsq:n=6', '--solver', 'bayesbinn', '-p', 'beta=1'], /'beta' must be < 1/);
    await expectOneLineError(['solve', '--problem', 'lsq:n=6', '--solver', 'bayesbinn', '-p', 'eps=0'], /'eps' must be > 0/);
    await expectOneLineError(['solve', '--problem', 'lsq:n=6', '--solver', 'bayesbinn', '-p', 'lr=1e300'], /'lr' must be <= 1/);
  });

  it('a huge architecture is refused before allocating', async () => {
    await expectOneLineError(['train', '--data', 'moons', '--arch', '16-1000000000000-2'], /binary weights needs about .* more than/);
  });

  it('bench --data naming a folder that does not exist is an error, not silently fewer cases', async () => {
    await expectOneLineError(['bench', 'small', '--data', join(dir, 'nonexistent'), '--solvers', 'bm', '--shard', '1/500'], /nonexistent: no such folder; give --data DIR or set BNNRELAX_DATA/);
  });
});

describe('the SDP factor is sized before it is allocated', () => {
  it('a rank whose factor is above the memory cap is refused, naming --rank', async () => {
    const n = 3000;
    const ring = [`${n} ${n}`, ...Array.from({ length: n }, (_, i) => `${i + 1} ${((i + 1) % n) + 1} 1`)].join('\n') + '\n';
    const path = file('ring.txt', ring);
    const saved = process.env.BNNRELAX_MAX_MEMORY;
    process.env.BNNRELAX_MAX_MEMORY = '8M';
    try {
      await expectOneLineError(['sdp', path, '--json'], /rank-79 Burer-Monteiro factor of this n = 3000 SDP needs about .* lower the rank: --rank K/);
    } finally {
      if (saved === undefined) delete process.env.BNNRELAX_MAX_MEMORY;
      else process.env.BNNRELAX_MAX_MEMORY = saved;
    }
  });
});
