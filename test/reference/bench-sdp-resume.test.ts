/** `bench sdp --resume` on a results file that is not one: a one-line error, exit 2, no stack trace. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/cli.js';
import { bufferIo } from '../../src/core/io.js';

describe('bench sdp --resume', () => {
  it('refuses a garbage line in the middle of the results file, naming file and line', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'bnnrelax-sdp-')), 'r.jsonl');
    writeFileSync(out, '{"instance":"mcp100","algo":"mixing"}\nnot json at all\n{"instance":"G1","algo":"mixing"}\n');
    const io = bufferIo();
    const code = await runCli(['bench', 'sdp', '--out', out, '--resume'], io);
    expect(code).toBe(2);
    expect(io.stderr).toMatch(new RegExp(`^bnnrelax: ${out.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:2: not a JSON line`));
    expect(io.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
