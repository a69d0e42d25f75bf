import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../src/cli/cli.js';
import { bufferIo } from '../src/core/io.js';
import { UserError } from '../src/core/errors.js';
import { parseGset } from '../src/formats/gset.js';
import { parseSdpa } from '../src/formats/sdpa.js';
import { detectFormat } from '../src/formats/sdp-file.js';
import { loadProblem } from '../problems/index.js';

/**
 * Property-based fuzzing of every reader, the spec parser and the CLI's option parsing (issue 17):
 * malformed inputs of the kinds a hostile user sends. The contract: a one-line UserError (exit 2
 * on the CLI), or a correct result; never another exception (exit 1), a stack trace, a hang, or a
 * NaN/null number in the output. `npm run test:fuzz` runs the same properties with many more
 * cases (FUZZ_RUNS). Whole commands run under `--max-time 2` (an option value may legitimately ask
 * for 4294967296 rounds or restarts: the budget, not the fuzzer, bounds such a run); a flag that
 * comes later in argv overrides it, which is part of what is fuzzed.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 60);
// a small cap keeps each generated instance cheap: sizes above it must be refused, below it built
process.env.BNNRELAX_MAX_MEMORY ??= '16M';

const dir = mkdtempSync(join(tmpdir(), 'bnnrelax-fuzz-'));
let fileNo = 0;
const tempFile = (text: string, ext: string) => {
  const path = join(dir, `f${fileNo++}${ext}`);
  writeFileSync(path, text);
  return path;
};

/** Tokens that break naive number parsing. */
const NASTY = ['', ' ', '0', '-0', '1', '-1', '2', '3', '0.5', '1e-300', '1e300', '1e308', '-1e308', '1e400', '1e20', '9007199254740993', '2147483648', '4294967296', 'NaN', 'nan', 'Infinity', '-Infinity', '0x10', '0b101', '0o7', '1_000', '١٢', 'abc', '"', '{', '}', '(', ')', ',', '=', '*', '1.2.3', '+5', '.5', '5.', '1e', 'e5', '--1', '\t', '\u0000'];
const nasty = fc.constantFrom(...NASTY);
const smallInt = fc.integer({ min: -3, max: 12 }).map(String);
const token = fc.oneof(nasty, smallInt, fc.string({ maxLength: 6 }));

/** Asserts the one-line-error-or-result contract for a direct call. */
function contract<T>(call: () => T, check: (value: T) => void): void {
  let value: T;
  try {
    value = call();
  } catch (e) {
    if (!(e instanceof UserError)) throw new Error(`not a UserError: ${(e as Error)?.stack ?? String(e)}`);
    expect(e.message.includes('\n'), e.message).toBe(false);
    return;
  }
  check(value);
}

function finiteSdp(sdp: ReturnType<typeof parseGset>) {
  expect(sdp.n).toBeGreaterThan(0);
  for (const v of sdp.C.val) expect(Number.isFinite(v)).toBe(true);
  for (const v of sdp.C.diag) expect(Number.isFinite(v)).toBe(true);
}

/** Lines of a valid file with some lines replaced, dropped, duplicated or with tokens swapped. */
const mutatedLines = (valid: string[]) =>
  fc
    .array(
      fc.record({
        at: fc.nat({ max: valid.length }),
        kind: fc.constantFrom('replace-token', 'drop', 'duplicate', 'insert', 'append-token'),
        tok: token,
        line: fc.array(token, { maxLength: 6 }).map((t) => t.join(' ')),
      }),
      { minLength: 1, maxLength: 4 },
    )
    .map((edits) => {
      const lines = [...valid];
      for (const e of edits) {
        const i = Math.min(e.at, lines.length - 1);
        if (i < 0) continue;
        const fields = lines[i]!.split(' ');
        if (e.kind === 'replace-token') {
          fields[e.at % fields.length] = e.tok;
          lines[i] = fields.join(' ');
        } else if (e.kind === 'drop') lines.splice(i, 1);
        else if (e.kind === 'duplicate') lines.splice(i, 0, lines[i]!);
        else if (e.kind === 'insert') lines.splice(i, 0, e.line);
        else lines[i] = `${lines[i]} ${e.tok}`;
      }
      return lines.join(e0(edits) ? '\r\n' : '\n');
    });
const e0 = (edits: { at: number }[]) => edits[0]!.at % 5 === 0;

const GSET = ['4 5', '1 2 1', '2 3 1', '3 4 -1', '4 1 1', '1 3 2'];
const SDPA = ['3 =mdim', '1 =nblks', '3', '{1.0, 1.0, 1.0}', '0 1 1 2 -0.25', '0 1 2 3 -0.25', '0 1 1 3 0.5', '1 1 1 1 1.0', '2 1 2 2 1.0', '3 1 3 3 1.0'];

describe('fuzz: readers', () => {
  it('G-set: mutated graphs give a one-line error or a finite SDP', () => {
    fc.assert(fc.property(mutatedLines(GSET), (text) => contract(() => parseGset(text, 'g.txt'), finiteSdp)), { numRuns: RUNS * 3 });
  });

  it('SDPA: mutated files give a one-line error or a finite SDP', () => {
    fc.assert(fc.property(mutatedLines(SDPA), (text) => contract(() => parseSdpa(text, 's.dat-s'), finiteSdp)), { numRuns: RUNS * 3 });
  });

  it('format detection never throws anything but a UserError', () => {
    fc.assert(fc.property(mutatedLines([...GSET, ...SDPA]), (text) => contract(() => detectFormat('x', text), (f) => expect(['sdpa', 'gset']).toContain(f))), { numRuns: RUNS * 3 });
  });

  it('BQP JSON: arbitrary JSON values give a one-line error or a problem with a finite loss', () => {
    const matrixish = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.record({ Q: fc.array(fc.array(fc.oneof(fc.double(), fc.integer(), fc.constant('1'), fc.constant(null)), { maxLength: 4 }), { maxLength: 4 }), b: fc.option(fc.array(fc.double(), { maxLength: 4 })), c: fc.option(fc.oneof(fc.double(), fc.string())) }),
    );
    fc.assert(
      fc.property(matrixish, (doc) => {
        const path = tempFile(JSON.stringify(doc) ?? 'null', '.json');
        contract(
          () => loadProblem(path),
          (p) => expect(Number.isFinite(p.loss(new Int8Array(p.n).fill(1)))).toBe(true),
        );
      }),
      { numRuns: RUNS },
    );
  });

  it('BQP JSON nested very deeply: a one-line error, not a stack overflow', () => {
    const deep = '{"Q": [[' + '['.repeat(20000) + ']'.repeat(20000) + ']]}';
    contract(() => loadProblem(tempFile(deep, '.json')), () => undefined);
  });
});

describe('fuzz: problem specs', () => {
  const kinds = fc.constantFrom('bqp', 'lsq', 'teacher', 'mlp', 'nope', 'BQP', '');
  const keys = fc.constantFrom('n', 'm', 'seed', 'density', 'noise', 'test', 'loss', 'data', 'arch', 'levels', 'threshold', 'train', 'x', '');
  const spec = fc
    .tuple(kinds, fc.array(fc.tuple(keys, token), { maxLength: 4 }), fc.constantFrom(':', '::', ''))
    .map(([kind, pairs, colon]) => `${kind}${colon}${pairs.map(([k, v]) => `${k}=${v}`).join(',')}`);
  it('a one-line error or a problem whose loss is finite at a vertex', () => {
    fc.assert(
      fc.property(spec, (text) =>
        contract(
          () => loadProblem(text),
          (p) => {
            expect(Number.isInteger(p.n)).toBe(true);
            expect(Number.isFinite(p.loss(new Int8Array(p.n).fill(-1)))).toBe(true);
          },
        ),
      ),
      { numRuns: RUNS * 2 },
    );
  });
});

describe('fuzz: command-line options', () => {
  const optionValue = fc.oneof(nasty, smallInt);
  const command = fc.oneof(
    fc.tuple(fc.constantFrom('--seed', '--max-iter', '--max-time', '-p', '--solver', '--problem'), optionValue).map(([flag, v]) => ['solve', '--problem', 'bqp:n=6', '--solver', 'local', '--json', '--max-time', '2', flag, flag === '-p' ? `restarts=${v}` : v]),
    fc.tuple(fc.constantFrom('--rank', '--tol', '--rounds', '--max-iter', '--max-time', '--seed', '--algo', '--verify', '--format'), optionValue).map(([flag, v]) => ['sdp', tempFile(GSET.join('\n') + '\n', '.txt'), '--json', '--max-time', '2', flag, v]),
    fc.tuple(fc.constantFrom('--epochs', '--batch', '--threshold', '--levels', '--gain', '--train-size', '--arch', '--seed'), optionValue).map(([flag, v]) => ['train', '--data', 'moons', '--arch', '16-4-2', '--epochs', '1', '--json', '--max-time', '2', flag, v]),
    fc.tuple(fc.constantFrom('--samples', '--sizes', '--estimators', '--budget', '--max-reps'), optionValue).map(([flag, v]) => ['estimators', '--sizes', '2,2', '--samples', '1,2', '--budget', '4', '--json', flag, v]),
  );
  it('exit 0 with JSON free of NaN/null numbers, or exit 2 with one line', async () => {
    await fc.assert(
      fc.asyncProperty(command, async (argv) => {
        const io = bufferIo();
        const code = await runCli(argv, io);
        expect([0, 2], `${argv.join(' ')}\n${io.stderr}`).toContain(code);
        expect(io.stderr, argv.join(' ')).not.toMatch(/\n\s+at /);
        if (code === 2) expect(io.stderr.trimEnd().split('\n'), argv.join(' ')).toHaveLength(1);
        else {
          expect(io.stdout, argv.join(' ')).not.toMatch(/\bNaN\b|:null\b|Infinity/);
          expect(() => JSON.parse(io.stdout), argv.join(' ')).not.toThrow();
        }
      }),
      // each case runs a whole command: a tenth of the cases of the reader properties
      { numRuns: Math.max(20, Math.round(RUNS / 10)) },
    );
  }, 600_000);
});
