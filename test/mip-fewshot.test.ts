import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/cli.js';
import { bufferIo } from '../src/core/io.js';
import { makeDataset } from '../src/datasets/dataset.js';
import { Rng } from '../src/numerics/rng.js';
import { classBalancedSubset } from '../src/experiments/fewshot-suite.js';
import { predictOneVsOne, trainOneVsOne } from '../solvers/mip/one-vs-one.js';
import { mulberry32 } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'bnnrelax-mip-'));

async function cli(...argv: string[]) {
  const io = bufferIo();
  const code = await runCli(argv, io);
  return { code, out: io.stdout, err: io.stderr };
}

describe('few-shot subsets', () => {
  const labels = Int32Array.from({ length: 60 }, (_, i) => i % 3);
  const data = makeDataset('d', 2, Float64Array.from({ length: 120 }, (_, i) => i), labels);

  it('takes exactly k rows of each class, the same for the same seed, others for another', () => {
    const a = classBalancedSubset(data, 4, 3, new Rng(1, 's'));
    expect(a.count).toBe(12);
    for (let c = 0; c < 3; c++) expect(Array.from(a.labels).filter((l) => l === c)).toHaveLength(4);
    expect(Array.from(classBalancedSubset(data, 4, 3, new Rng(1, 's')).X)).toEqual(Array.from(a.X));
    expect(Array.from(classBalancedSubset(data, 4, 3, new Rng(2, 's')).X)).not.toEqual(Array.from(a.X));
  });

  it('refuses k larger than a class', () => {
    expect(() => classBalancedSubset(data, 21, 3, new Rng(1, 's'))).toThrow(/class 0 has 20 training rows, fewer than k = 21/);
  });
});

describe('one-vs-one MILP ensemble', () => {
  // three classes, each with its own "on" feature plus noise features
  const rand = mulberry32(3);
  const d = 8;
  const rows = 12;
  const labels = Int32Array.from({ length: rows }, (_, r) => r % 3);
  const X = new Uint8Array(rows * d);
  for (let r = 0; r < rows; r++) {
    X[r * d + labels[r]!] = 1;
    for (let i = 3; i < d; i++) X[r * d + i] = rand() < 0.5 ? 1 : 0;
  }

  it('separates every pair with a proven largest margin and votes every training row right', async () => {
    const pairs = await trainOneVsOne(X, labels, rows, d, 3, { timeLimitS: 20, relGap: 0, sparsify: true });
    expect(pairs.map((p) => [p.a, p.b])).toEqual([[0, 1], [0, 2], [1, 2]]);
    for (const p of pairs) {
      expect(p.marginProven).toBe(true);
      expect(p.margin).toBeGreaterThan(0);
      // the margin is what the weights reach on the pair's rows, computed plainly
      let least = Infinity;
      for (let r = 0; r < rows; r++) {
        if (labels[r] !== p.a && labels[r] !== p.b) continue;
        let s = p.t;
        for (let i = 0; i < d; i++) s += p.w[i]! * X[r * d + i]!;
        least = Math.min(least, (labels[r] === p.a ? 1 : -1) * s);
      }
      expect(least).toBeGreaterThanOrEqual(p.margin);
      expect(p.w.every((v) => v === -1 || v === 0 || v === 1)).toBe(true);
    }
    expect(Array.from(predictOneVsOne(pairs, X, rows, d, 3))).toEqual(Array.from(labels));
  }, 60_000);

  it('a pair no classifier separates is trained by the hinge MILP, not answered by w = 0', async () => {
    // x = (0,1) is in both classes (once as 0, twice as 1): the largest margin is 0, reached by w = 0
    const Xn = Uint8Array.from([1, 0, 1, 0, 0, 1, 0, 1, 0, 1]);
    const yn = Int32Array.from([0, 0, 0, 1, 1]);
    const [pair] = await trainOneVsOne(Xn, yn, 5, 2, 2, { timeLimitS: 20, relGap: 0, sparsify: true });
    expect(pair!.margin).toBeLessThanOrEqual(0);
    expect(pair!.fallback).toBe('hinge');
    expect(Array.from(predictOneVsOne([pair!], Uint8Array.from([1, 0, 0, 1]), 2, 2, 2))).toEqual([0, 1]);
  }, 60_000);

  it('the vote goes to the class with most pair wins, ties to the lowest index', () => {
    const w = (v: number[]) => Int8Array.from(v);
    // one input; pair (0,1) votes 1, pair (0,2) votes 2, pair (1,2) votes 1: class 1 wins
    const pairs = [
      { a: 0, b: 1, w: w([-1]), t: 0, margin: 0, marginProven: true, active: 1, activeProven: true, seconds: 0 },
      { a: 0, b: 2, w: w([-1]), t: 0, margin: 0, marginProven: true, active: 1, activeProven: true, seconds: 0 },
      { a: 1, b: 2, w: w([1]), t: 0, margin: 0, marginProven: true, active: 1, activeProven: true, seconds: 0 },
    ];
    expect(Array.from(predictOneVsOne(pairs, Uint8Array.from([1]), 1, 1, 3))).toEqual([1]);
    // a three-way tie (0 beats 1, 2 beats 0, 1 beats 2: one vote each) goes to class 0
    const cycle = [
      { ...pairs[0]!, w: w([1]) },
      { ...pairs[1]!, w: w([-1]) },
      { ...pairs[2]!, w: w([1]) },
    ];
    expect(Array.from(predictOneVsOne(cycle, Uint8Array.from([1]), 1, 1, 3))).toEqual([0]);
  });
});

describe('fewshot and --init on the command line', () => {
  it('bench fewshot refuses data that is not a CSV file with one line, exit 2', async () => {
    const r = await cli('bench', 'fewshot', '--data', 'fashion');
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/CSV file.*Fashion-MNIST is not built in/);
    expect((await cli('bench', 'fewshot', '--solvers', 'nosuch')).err).toMatch(/unknown method 'nosuch'/);
  });

  it('solve --init certifies another solver\'s answer; bad files are one-line errors', async () => {
    const spec = 'teacher:n=14,m=40,noise=0.1,loss=hinge,data=pm1,seed=6';
    const start = join(dir, 'exact.json');
    expect((await cli('solve', '--problem', spec, '--solver', 'exact', '--out', start)).code).toBe(0);
    const r = await cli('solve', '--problem', spec, '--solver', 'mip', '--init', start, '--json');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.out);
    expect(result.proven).toBe(true);
    expect(result.info.warmStart).toBe(true);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"weights": 3}');
    for (const [argv, message] of [
      [['--solver', 'mip', '--init', bad], /no "weights" string/],
      [['--solver', 'mip', '--init', join(dir, 'missing.json')], /missing\.json/],
      [['--solver', 'bop', '--init', start], /solver 'bop' takes no warm start/],
    ] as const) {
      const e = await cli('solve', '--problem', spec, ...argv);
      expect(e.code).toBe(2);
      expect(e.err.trim().split('\n')).toHaveLength(1);
      expect(e.err).toMatch(message);
    }
  }, 60_000);
});
