import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProblem } from '../problems/index.js';
import { LsqProblem } from '../problems/lsq.js';
import { TeacherProblem } from '../problems/teacher.js';
import { flipStateFor, genericFlipState } from '../src/core/flip-state.js';
import type { Problem } from '../src/core/problem.js';
import { UserError } from '../src/core/errors.js';
import { mulberry32, randomPm1, relClose } from './helpers.js';

const SPECS = [
  'bqp:n=9,density=0.7,seed=3',
  'lsq:n=8,m=5,noise=1,seed=2',
  'teacher:n=9,m=30,test=50,noise=0.1,loss=squared,seed=4',
  'teacher:n=9,m=30,test=50,noise=0.1,loss=hinge,seed=4',
  'teacher:n=9,m=30,test=50,noise=0.1,loss=logistic,data=pm1,seed=4',
  'teacher:n=9,m=30,test=50,noise=0.1,loss=01,data=pm1,seed=4',
];

describe('problem specs', () => {
  it('canonical specs reproduce the same problem', () => {
    for (const spec of SPECS) {
      const p = loadProblem(spec);
      const q = loadProblem(p.spec);
      expect(q.spec).toBe(p.spec);
      const w = randomPm1(p.n, mulberry32(1));
      expect(q.loss(w)).toBe(p.loss(w));
    }
  });

  it('different seeds give different instances', () => {
    const w = new Int8Array(8).fill(1);
    expect(loadProblem('lsq:n=8,seed=1').loss(w)).not.toBe(loadProblem('lsq:n=8,seed=2').loss(w));
  });

  it.each([
    ['lsq:n=8,bogus=1', /unknown key 'bogus'/],
    ['lsq:n=abc', /key 'n' must be a finite decimal number/],
    ['lsq:n=2.5', /key 'n' must be an integer/],
    ['teacher:n=5,loss=cube', /key 'loss' must be one of/],
    ['teacher:n=5,noise=2', /key 'noise' must be <= 1/],
    ['lsq:n=8,n=9', /given twice/],
    ['lsq:n8', /is not key=value/],
    ['nosuch:n=3', /unknown problem 'nosuch'/],
    ['missing.json', /missing.json: no such file/],
  ])('refuses %s', (spec, message) => {
    expect(() => loadProblem(spec)).toThrow(UserError);
    expect(() => loadProblem(spec)).toThrow(message);
  });
});

describe('losses equal independent recomputation', () => {
  it('lsq loss is |Xw - y|^2', () => {
    const p = loadProblem('lsq:n=7,m=11,noise=0.3,seed=5') as LsqProblem;
    const rand = mulberry32(2);
    for (let t = 0; t < 20; t++) {
      const w = randomPm1(7, rand);
      let total = 0;
      for (let r = 0; r < 11; r++) {
        let s = -p.y[r]!;
        for (let j = 0; j < 7; j++) s += p.X[r * 7 + j]! * w[j]!;
        total += s * s;
      }
      expect(relClose(p.loss(w), total)).toBe(true);
    }
    // noiseless: the teacher reaches the known optimum 0
    const clean = loadProblem('lsq:n=7,m=11,noise=0,seed=5') as LsqProblem;
    expect(clean.knownOptimum).toBe(0);
    expect(Math.abs(clean.loss(clean.teacher))).toBeLessThan(1e-9);
  });

  it('teacher losses and errors match a plain float computation', () => {
    const rand = mulberry32(9);
    for (const loss of ['squared', 'hinge', 'logistic', '01']) {
      for (const data of ['gauss', 'pm1']) {
        const p = loadProblem(`teacher:n=11,m=40,test=30,noise=0.2,loss=${loss},data=${data},seed=2`) as TeacherProblem;
        const w = randomPm1(11, rand);
        const dots = (X: Float64Array, m: number) => Array.from({ length: m }, (_, j) => {
          let s = 0;
          for (let i = 0; i < 11; i++) s += X[j * 11 + i]! * w[i]!;
          return s;
        });
        const tr = dots(p.train.X, 40);
        const te = dots(p.test.X, 30);
        const err = (d: number[], y: Float64Array) => d.filter((v, j) => (v >= 0 ? 1 : -1) !== y[j]).length / d.length;
        const z = tr.map((d, j) => (p.train.y[j]! * d) / Math.sqrt(11));
        const expected =
          loss === 'squared' ? z.reduce((s, v) => s + (1 - v) ** 2, 0) / 40
          : loss === 'hinge' ? z.reduce((s, v) => s + Math.max(0, 1 - v), 0) / 40
          : loss === 'logistic' ? z.reduce((s, v) => s + Math.log(1 + Math.exp(-v)), 0) / 40
          : err(tr, p.train.y);
        expect(relClose(p.loss(w), expected, 1e-12)).toBe(true);
        const scores = p.score(w);
        expect(scores.trainError).toBe(err(tr, p.train.y));
        expect(scores.testError).toBe(err(te, p.test.y));
      }
    }
  });

  it('noiseless 0-1 loss: the teacher has zero error and is the known optimum', () => {
    const p = loadProblem('teacher:n=12,m=50,noise=0,loss=01,seed=3') as TeacherProblem;
    expect(p.knownOptimum).toBe(0);
    expect(p.loss(p.teacher)).toBe(0);
    expect(p.score(p.teacher).testError).toBe(0);
  });

  it('gradients match central finite differences', () => {
    const rand = mulberry32(4);
    for (const spec of SPECS) {
      const p = loadProblem(spec);
      if (!p.lossAndGradient) {
        expect(spec).toContain('loss=01');
        continue;
      }
      const x = Float64Array.from({ length: p.n }, () => 2 * rand() - 1);
      const g = new Float64Array(p.n);
      p.lossAndGradient(x, g);
      const scratch = new Float64Array(p.n);
      for (let i = 0; i < p.n; i++) {
        const h = 1e-6;
        const xp = Float64Array.from(x);
        xp[i]! += h;
        const xm = Float64Array.from(x);
        xm[i]! -= h;
        const fd = (p.lossAndGradient(xp, scratch) - p.lossAndGradient(xm, scratch)) / (2 * h);
        expect(Math.abs(fd - g[i]!)).toBeLessThan(1e-5 * Math.max(1, Math.abs(fd)));
      }
      // on the vertices the relaxed loss is the binary loss
      const w = randomPm1(p.n, rand);
      expect(relClose(p.lossAndGradient(Float64Array.from(w), g), p.loss(w))).toBe(true);
    }
  });
});

describe('flip states', () => {
  const check = (p: Problem) => {
    const rand = mulberry32(p.n);
    const state = flipStateFor(p, randomPm1(p.n, rand));
    for (let t = 0; t < 60; t++) {
      const i = Math.floor(rand() * p.n);
      const w = Int8Array.from(state.w);
      w[i] = -w[i]!;
      const expected = p.loss(w) - state.value;
      expect(Math.abs(state.delta(i) - expected)).toBeLessThan(1e-9 * Math.max(1, Math.abs(state.value)));
      state.flip(i);
      expect(relClose(state.value, p.loss(state.w))).toBe(true);
    }
  };
  it.each(SPECS)('delta and flip agree with the loss: %s', (spec) => check(loadProblem(spec)));
  it('generic fallback agrees too', () => {
    const p = loadProblem(SPECS[3]!);
    check({ ...p, spec: p.spec, kind: p.kind, n: p.n, loss: (w) => p.loss(w), flipState: (w) => genericFlipState(p, w) });
  });
});

describe('JSON BQP files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bnnrelax-'));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('reads {Q, b, c} and evaluates w\'Qw + 2b\'w + c', () => {
    const p = loadProblem(file('ok.json', JSON.stringify({ Q: [[1, 2], [2, -1]], b: [0.5, -1], c: 3 })));
    expect(p.n).toBe(2);
    // w = (1, -1): 1 - 2 - 2 - 1 + 2(0.5 + 1) + 3 = 2
    expect(p.loss(Int8Array.from([1, -1]))).toBe(2);
  });

  it.each([
    ['bad.json', '{"Q": [[1, 2], [2', /bad\.json:1: malformed JSON/],
    ['array.json', '[1, 2]', /expected an object/],
    ['ragged.json', '{"Q": [[1, 2], [2]]}', /Q row 1 must be an array of 2 numbers/],
    ['nonsym.json', '{"Q": [[1, 2], [3, 1]]}', /not symmetric/],
    ['nan.json', '{"Q": [[1, "NaN"], ["NaN", 1]]}', /Q\[0\]\[1\] is "NaN", not a finite number/],
    ['inf.json', '{"Q": [[1e999, 0], [0, 1]]}', /Q\[0\]\[0\] is null|not a finite number/],
    ['b.json', '{"Q": [[1, 0], [0, 1]], "b": [1]}', /"b" must be an array of 2 numbers/],
    ['c.json', '{"Q": [[1, 0], [0, 1]], "c": "x"}', /"c" must be a finite number/],
  ])('refuses %s with a message naming the file', (name, text, message) => {
    const path = file(name, text);
    expect(() => loadProblem(path)).toThrow(UserError);
    expect(() => loadProblem(path)).toThrow(message);
    expect(() => loadProblem(path)).toThrow(path);
  });
});
