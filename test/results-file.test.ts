/** The one results-file reader/writer and its lock (src/formats/results-file.ts, lock-file.ts). */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../src/core/errors.js';
import { acquireLock } from '../src/formats/lock-file.js';
import { parseResults, ResultsWriter } from '../src/formats/results-file.js';

const dir = mkdtempSync(join(tmpdir(), 'bnnrelax-results-'));
const row = (id: string) => JSON.stringify({ case: id, x: 1 }) + '\n';

/** chmod 444, or for root (who writes through modes) the immutable attribute; returns the undo. */
function makeReadOnly(f: string): () => void {
  if (process.getuid?.() !== 0) {
    chmodSync(f, 0o444);
    return () => chmodSync(f, 0o644);
  }
  const r = spawnSync('chattr', ['+i', f]);
  if (r.status !== 0) throw new Error(`chattr +i ${f} failed: root needs chattr to make a file read-only for this test`);
  return () => void spawnSync('chattr', ['-i', f]);
}

function userError(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    const message = (e as Error).message;
    expect(message.split('\n')).toHaveLength(1);
    return message;
  }
  throw new Error('expected a UserError');
}

describe('parseResults', () => {
  it('reads complete lines, skips a torn last line and blank lines', () => {
    const text = row('a') + '\n' + row('b') + '{"case":"c","x"';
    const p = parseResults('f.jsonl', text);
    expect(p.rows.map((r) => r.case)).toEqual(['a', 'b']);
    expect(p.lines).toEqual([1, 3]);
    expect(p.torn).toBe(true);
    expect(p.completeBytes).toBe(Buffer.byteLength(row('a') + '\n' + row('b')));
  });

  it('a bad line elsewhere is a one-line error naming file and line', () => {
    expect(userError(() => parseResults('f.jsonl', row('a') + 'garbage\n' + row('b')))).toBe('f.jsonl:2: not a JSON line (not a bnnrelax bench results file?)');
    expect(userError(() => parseResults('f.jsonl', row('a') + '[1,2]\n'))).toMatch(/^f\.jsonl:2: no "case" id/);
    expect(userError(() => parseResults('f.jsonl', '{"case":3}\n'))).toMatch(/^f\.jsonl:1: no "case" id/);
  });

  it('gives rows of bench sdp and xnor written before case ids their current ids', () => {
    const p = parseResults('old.jsonl', '{"instance":"G1","algo":"auto","n":800}\n{"suite":"xnor","backend":"wasm","M":2,"N":3,"K":4,"macPerSec":1}\n');
    expect(p.rows.map((r) => [r.case, r.suite])).toEqual([
      ['G1/auto', 'sdp'],
      ['wasm/2x3x4', 'xnor'],
    ]);
  });
});

describe('ResultsWriter', () => {
  it("mode 'new' refuses a file with results and leaves it untouched; an empty file is fine", () => {
    const f = join(dir, 'full.jsonl');
    writeFileSync(f, row('a'));
    expect(userError(() => ResultsWriter.open(f, 'new'))).toBe(`${f}: already holds results (${row('a').length} bytes); --resume to continue it, --overwrite to replace it`);
    expect(readFileSync(f, 'utf8')).toBe(row('a'));
    expect(existsSync(`${f}.lock`)).toBe(false);
    const empty = join(dir, 'empty.jsonl');
    writeFileSync(empty, '');
    const w = ResultsWriter.open(empty, 'new');
    w.append({ case: 'z' });
    w.close();
    expect(readFileSync(empty, 'utf8')).toBe('{"case":"z"}\n');
  });

  it("mode 'overwrite' empties the file; 'resume' keeps complete rows and cuts the torn last line", () => {
    const f = join(dir, 'over.jsonl');
    writeFileSync(f, row('a') + row('b'));
    const w = ResultsWriter.open(f, 'overwrite');
    w.append({ case: 'c' });
    w.close();
    expect(readFileSync(f, 'utf8')).toBe('{"case":"c"}\n');

    const g = join(dir, 'torn.jsonl');
    writeFileSync(g, row('a') + row('b') + '{"case":"c","x":');
    let seen: string[] = [];
    const r = ResultsWriter.open(g, 'resume', (existing) => {
      seen = existing.rows.map((x) => x.case);
      // the check runs before the file changes
      expect(readFileSync(g, 'utf8').endsWith('"x":')).toBe(true);
    });
    expect(seen).toEqual(['a', 'b']);
    r.append({ case: 'c', x: 2 });
    r.close();
    expect(readFileSync(g, 'utf8')).toBe(row('a') + row('b') + '{"case":"c","x":2}\n');
  });

  it('a check that refuses the resumed file leaves it as it was (torn line included)', () => {
    const f = join(dir, 'refused.jsonl');
    const text = row('a') + '{"case":"b"';
    writeFileSync(f, text);
    expect(() =>
      ResultsWriter.open(f, 'resume', () => {
        throw new UserError('no');
      }),
    ).toThrow('no');
    expect(readFileSync(f, 'utf8')).toBe(text);
    expect(existsSync(`${f}.lock`)).toBe(false);
  });

  it('a read-only file with a torn last line is a one-line error, the file untouched', () => {
    const f = join(dir, 'readonly.jsonl');
    const text = row('a') + '{"case"';
    writeFileSync(f, text);
    const undo = makeReadOnly(f);
    try {
      expect(userError(() => ResultsWriter.open(f, 'resume'))).toMatch(new RegExp(`^${f}: cannot open for writing \\((EACCES|EPERM)\\)$`));
      expect(readFileSync(f, 'utf8')).toBe(text);
    } finally {
      undo();
    }
  });

  it('a read-only folder (no lock file possible) and a missing folder are one-line errors', () => {
    expect(userError(() => ResultsWriter.open(join(dir, 'no', 'such', 'r.jsonl'), 'new'))).toMatch(/no\/such\/r\.jsonl\.lock: cannot create the lock for .* \(ENOENT\)$/);
    expect(userError(() => ResultsWriter.open('/proc/r.jsonl', 'new'))).toMatch(/^\/proc\/r\.jsonl\.lock: cannot create the lock for \/proc\/r\.jsonl \(E[A-Z]+\)$/);
  });
});

describe('acquireLock', () => {
  it('refuses a second writer of the same file while the first holds it, and frees it on release', () => {
    const f = join(dir, 'locked.jsonl');
    const w = ResultsWriter.open(f, 'new');
    expect(userError(() => ResultsWriter.open(f, 'resume'))).toMatch(new RegExp(`in use by another run \\(pid ${process.pid} on ${hostname()} since .*\\); two runs cannot write one results file; if that run is dead, delete ${f}\\.lock$`));
    w.close();
    expect(existsSync(`${f}.lock`)).toBe(false);
    ResultsWriter.open(f, 'resume').close();
  });

  it('takes over the lock of a dead process on this host at once', () => {
    const f = join(dir, 'stale.jsonl');
    // a pid that existed and is gone: a child that has exited
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(`${f}.lock`, JSON.stringify({ pid: Number(dead.stdout), host: hostname(), since: '2026-01-01T00:00:00.000Z' }));
    const release = acquireLock(f);
    expect(JSON.parse(readFileSync(`${f}.lock`, 'utf8')).pid).toBe(process.pid);
    release();
    expect(existsSync(`${f}.lock`)).toBe(false);
  });

  it('refuses a lock held on another host (it cannot be checked from here)', () => {
    const f = join(dir, 'remote.jsonl');
    writeFileSync(`${f}.lock`, JSON.stringify({ pid: 1, host: 'elsewhere.example', since: '2026-01-01T00:00:00.000Z' }));
    expect(userError(() => acquireLock(f))).toMatch(/in use by another run \(pid 1 on elsewhere\.example since 2026-01-01T00:00:00\.000Z\)/);
  });
});
