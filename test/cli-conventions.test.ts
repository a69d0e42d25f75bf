/** The command line's shared conventions (issue 16): one error prefix, unknown options, empty values, `-` for stdin. */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../src/cli/cli.js';
import { bufferIo, stopQuietlyOnClosedPipe } from '../src/core/io.js';
import { EventEmitter } from 'node:events';
import { loadProblem, problemKinds } from '../problems/index.js';
import { UserError } from '../src/core/errors.js';
import { createXnorBackend, BackendUnavailable } from '../src/xnor/index.js';

async function cli(...argv: string[]) {
  const io = bufferIo();
  const code = await runCli(argv, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

/** The real process, reading `input` on standard input. */
function run(args: string[], input: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8', input });
}

describe('errors', () => {
  it("commander's errors carry the same 'bnnrelax:' prefix as ours, on one line", async () => {
    for (const argv of [['bogus'], ['solve', '--solvr', 'x', '--problem', 'bqp:n=4'], ['solve'], ['sdp']]) {
      const r = await cli(...argv);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^bnnrelax: [^\n]+\n$/);
    }
  });

  it('an unknown option is reported as such, before a missing mandatory option', async () => {
    for (const argv of [['solve', '--foo'], ['eval', '--foo'], ['train', '--foo']]) {
      const r = await cli(...argv);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe("bnnrelax: unknown option '--foo'\n");
    }
    const missing = await cli('solve', '--seed', '2');
    expect(missing.stderr).toBe("bnnrelax: required option '--problem <spec|file>' not specified\n");
  });

  it('an empty option value is refused, naming the option, for every command', async () => {
    const cases: [string[], string][] = [
      [['train', '--data', 'moons', '--threshold', ''], '--threshold <t|median>'],
      [['estimators', '--estimators', ''], '--estimators <list>'],
      [['estimators', '--estimators', 'arm,,tanh'], '--estimators <list>'],
      [['solve', '--problem', ' '], '--problem <spec|file>'],
      [['bench', 'smoke', '--out', ''], '--out <file>'],
      [['sdp', 'x.txt', '--seed', ''], '--seed <n>'],
    ];
    for (const [argv, option] of cases) {
      const r = await cli(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^bnnrelax: [^\n]+\n$/);
      expect(r.stderr).toContain(`option '${option}' argument`);
    }
  });

  it('train --threshold takes finite numbers only', async () => {
    for (const v of ['abc', 'Infinity', '1e999']) {
      const r = await cli('train', '--data', 'moons', '--threshold', v);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('expected a finite number');
    }
  });
});

describe('problems', () => {
  it('lists every key each kind reads (the unknown-key error names them all)', async () => {
    const r = await cli('problems');
    expect(r.code).toBe(0);
    for (const kind of problemKinds) {
      let known: string[] = [];
      try {
        loadProblem(`${kind.example},zzz=1`);
      } catch (e) {
        expect(e).toBeInstanceOf(UserError);
        known = /known for \w+: ([^)]*)\)/.exec((e as Error).message)![1]!.split(', ');
      }
      expect(known.length).toBeGreaterThan(0);
      const line = r.stdout.split('\n').find((l) => l.startsWith(`${kind.kind}:`))!;
      for (const key of known) expect(line, `${kind.kind} key ${key}`).toMatch(new RegExp(`(keys: |, )${key}\\b`));
    }
  });
});

describe("'-' reads standard input", () => {
  const bqp = '{"Q": [[0, 1], [1, 0]], "b": [1, -1]}';

  it('solve --problem - and /dev/stdin read a JSON BQP told apart by its content', () => {
    for (const path of ['-', '/dev/stdin']) {
      const p = run(['solve', '--problem', path, '--json'], bqp);
      expect(p.stderr).toBe('');
      expect(p.status).toBe(0);
      const r = JSON.parse(p.stdout);
      expect(r.loss).toBe(-6); // w = (-1, +1): 2*(1*-1*1) + 2*(1*-1 + -1*1) = -2 - 4
      expect(r.proven).toBe(true);
    }
  });

  it('sdp - reads a G-set graph; eval --model - reads the model', () => {
    const graph = '3 3\n1 2 1\n2 3 1\n1 3 1\n';
    const p = run(['sdp', '-', '--json'], graph);
    expect(p.status).toBe(0);
    const r = JSON.parse(p.stdout);
    expect(r.rounded).toBe(2); // a triangle's maximum cut
    const model = JSON.stringify({ format: 'bnnrelax.model.v1', inputThreshold: 0.5, layers: [{ weights: [[1, -1]] }] });
    // z = x1 - x2 with x = +1 where feature >= 0.5: class 1 where z >= 0
    const csv = join(mkdtempSync(join(tmpdir(), 'bnnrelax-stdin-')), 'd.csv');
    writeFileSync(csv, 'a,b,label\n1,0,1\n0,1,0\n1,1,1\n0,0,1\n');
    const e = run(['eval', '--model', '-', '--data', csv, '--json'], model);
    expect(e.stderr).toBe('');
    expect(JSON.parse(e.stdout).accuracy).toBe(1);
  });

  it('a malformed standard input is a one-line error naming it', () => {
    const p = run(['solve', '--problem', '-'], '{"Q": [[0, 1], [2, 0]]}');
    expect(p.status).toBe(2);
    expect(p.stderr).toMatch(/^bnnrelax: -[: ][^\n]*\n$/);
  });
});

describe('--backend gpujs', () => {
  it('is the first gpu.js mode that starts here', () => {
    let backend;
    try {
      backend = createXnorBackend('gpujs');
    } catch (e) {
      expect(e).toBeInstanceOf(BackendUnavailable); // no gpu.js mode starts: said so, not a crash
      return;
    }
    expect(backend.name).toMatch(/^gpujs-(headlessgl|cpu|webasm)$/);
    // headlessgl only starts where gl is built; without it the cpu mode is taken
    let gl = true;
    try {
      createXnorBackend('gpujs-headlessgl');
    } catch {
      gl = false;
    }
    expect(backend.name).toBe(gl ? 'gpujs-headlessgl' : 'gpujs-cpu');
  });
});

describe('--version', () => {
  it('prints the package.json version, from the fast path and from the full program alike', async () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(run(['--version'], '').stdout).toBe(`${version}\n`);
    expect((await cli('--version')).stdout).toBe(`${version}\n`);
  });
});

describe('a reader that closes the pipe early (`bnnrelax demo | head`)', () => {
  it('EPIPE stops the CLI quietly with exit code 0; any other stream error is still thrown', () => {
    const stream = new EventEmitter();
    const codes: number[] = [];
    stopQuietlyOnClosedPipe(stream, (code) => codes.push(code));
    stream.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    expect(codes).toEqual([0]);
    expect(() => stream.emit('error', Object.assign(new Error('write ENOSPC'), { code: 'ENOSPC' }))).toThrow('ENOSPC');
    expect(codes).toEqual([0]);
  });
});

describe('sdp --omega', () => {
  it('sets the over-relaxation of the mixing sweeps, which the JSON reports; outside [1, 2) it is refused in one line', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'bnnrelax-omega-')), 'c5.txt');
    writeFileSync(file, '5 5\n1 2 1\n2 3 1\n3 4 1\n4 5 1\n5 1 1\n');
    const plain = await cli('sdp', file, '--json', '--algo', 'mixing', '--omega', '1');
    expect(plain.code).toBe(0);
    const a = JSON.parse(plain.stdout);
    expect(a.overRelaxation).toBe(1);
    expect(a.certified).toBe(true);
    const over = JSON.parse((await cli('sdp', file, '--json', '--algo', 'mixing', '--omega', '1.5')).stdout);
    expect(over.overRelaxation).toBe(1.5);
    expect(over.objective).toBeCloseTo(a.objective, 5);
    for (const bad of ['2', '0.5', 'x']) {
      const r = await cli('sdp', file, '--omega', bad);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^bnnrelax: [^\n]*--omega[^\n]*\n$/);
    }
  });
});
