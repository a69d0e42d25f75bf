import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';

/**
 * The dependency rule (.dependency-cruiser.cjs) must fail on a wrong arrow: each case writes a
 * one-line probe module that imports across a layer the wrong way, runs the checker on it, and
 * removes it again.
 */
function cruise(files: string[]) {
  return spawnSync(process.execPath, ['node_modules/dependency-cruiser/bin/dependency-cruise.mjs', ...files, '--config', '.dependency-cruiser.cjs', '--output-type', 'err'], {
    encoding: 'utf8',
  });
}

const PROBES: [string, string, RegExp][] = [
  ['src/core/zz-probe.ts', "import { solvers } from '../../solvers/index.js'; void solvers;", /layer-src-core/],
  ['src/numerics/zz-probe.ts', "import { loadProblem } from '../../problems/index.js'; void loadProblem;", /layer-src-numerics/],
  ['src/formats/zz-probe.ts', "import { BENCH_SUITES } from '../experiments/bench-suites.js'; void BENCH_SUITES;", /layer-src-formats/],
  ['solvers/zz-probe.ts', "import { loadProblem } from '../problems/index.js'; void loadProblem;", /layer-solvers/],
  ['problems/zz-probe.ts', "import { solvers } from '../solvers/index.js'; void solvers;", /layer-problems/],
  ['src/zz-probe.ts', "import { UserError } from './core/errors.js'; void UserError;", /no-unknown-folder/],
];

describe('layer rule', () => {
  it('passes on the tree as it is', () => {
    const r = cruise(['src', 'solvers', 'problems']);
    expect(r.stdout + r.stderr).not.toMatch(/error/);
    expect(r.status).toBe(0);
  });

  it('fails on each wrong arrow (probe modules importing across a layer the wrong way)', () => {
    for (const [path, line] of PROBES) writeFileSync(path, `${line}\nexport const probe = 1;\n`);
    let r;
    try {
      r = cruise(PROBES.map(([path]) => path));
    } finally {
      for (const [path] of PROBES) rmSync(path, { force: true });
    }
    expect(r.status).not.toBe(0);
    const lines = (r.stdout + r.stderr).split('\n');
    for (const [path, , rule] of PROBES) expect(lines.some((l) => rule.test(l) && l.includes(path)), `${path}: ${rule}`).toBe(true);
  });
});
