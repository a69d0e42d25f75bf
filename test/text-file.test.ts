import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../src/core/errors.js';
import { readBytes, readText, writeText } from '../src/formats/text-file.js';

const dir = mkdtempSync(join(tmpdir(), 'bnnrelax-text-file-'));

describe('user files', () => {
  it('round-trips text and bytes', () => {
    const path = join(dir, 'a.txt');
    writeText(path, 'x,y\n1,2\n');
    expect(readText(path)).toBe('x,y\n1,2\n');
    expect(Array.from(readBytes(path).subarray(0, 3))).toEqual([120, 44, 121]);
  });
  it('a failure is one UserError line naming the file, what it is and the errno code', () => {
    const missing = join(dir, 'missing.json');
    expect(() => readText(missing)).toThrow(UserError);
    expect(() => readText(missing)).toThrow(new RegExp(`^${missing.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: cannot read \\(ENOENT\\)$`));
    expect(() => readText(missing, 'model')).toThrow(/missing\.json: cannot read model \(ENOENT\)$/);
    expect(() => readBytes(missing)).toThrow(/missing\.json: cannot read \(ENOENT\)$/);
    expect(() => writeText(dir, 'x')).toThrow(/: cannot write \(EISDIR\)$/);
  });
});
