/**
 * Every command the README shows runs and exits 0, the way a new user runs it: in a fresh folder
 * holding only a copy of examples/ (no ../shared/data: its files are replaced by the example files
 * of the same formats), with `npx bnnrelax` standing for this checkout's CLI. Long commands get
 * small flags; the few not run here are listed with the reason.
 */
import { describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '..');

/** The commands of the README's sh blocks (comments dropped), in order. */
function readmeCommands(): string[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const commands: string[] = [];
  for (const block of readme.matchAll(/```sh\n([\s\S]*?)```/g)) {
    for (const line of block[1]!.split('\n')) {
      const command = line.replace(/\s+#.*$/, '').trim();
      if (command !== '') commands.push(command);
    }
  }
  return commands;
}

/** Public files the user may not have, and the example file of the same format that stands in. */
const SHARED_STAND_INS: [RegExp, string][] = [
  [/\.\.\/shared\/data\/gset\/G\d+\.txt/g, 'examples/graph-20.txt'],
  [/\.\.\/shared\/data\/sdplib\/[\w-]+\.dat-s/g, 'examples/graph-20.dat-s'],
];

/** Extra flags that keep a long command short here (same code path, smaller sizes). */
const SMALL_FLAGS: [RegExp, string][] = [[/^npx bnnrelax estimators\b/, ' --budget 20 --max-reps 2']];

/** Commands not run here, and why. */
const NOT_RUN: [RegExp, string][] = [
  [/^npm ci\b/, 'installs the package: this test runs inside that installation'],
  [/^npm test\b/, 'is this test suite'],
  [/^npx bnnrelax$/, 'the demo (7-10 s) is run by test/cli.test.ts'],
];

// tsx resolved from this checkout, not from the fresh folder the commands run in
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const CLI = `${JSON.stringify(process.execPath)} --import ${TSX} ${JSON.stringify(join(root, 'src/cli/main.ts'))}`;

describe('README commands', () => {
  const commands = readmeCommands();

  it('the README shows the tour: solve, sdp, train, eval, estimators, bench', () => {
    for (const c of ['solve', 'sdp', 'train', 'eval', 'estimators', 'bench', 'report']) {
      expect(commands.some((x) => x.startsWith(`npx bnnrelax ${c} `)), c).toBe(true);
    }
    for (const c of commands) expect(/^(npm |npx bnnrelax\b)/.test(c), `'${c}' is neither npm nor npx bnnrelax`).toBe(true);
  });

  const dir = mkdtempSync(join(tmpdir(), 'bnnrelax-readme-'));
  cpSync(join(root, 'examples'), join(dir, 'examples'), { recursive: true });

  for (const command of commands) {
    const skip = NOT_RUN.find(([re]) => re.test(command));
    if (skip) continue; // listed above with its reason
    it(command, () => {
      let line = command;
      for (const [re, file] of SHARED_STAND_INS) line = line.replace(re, file);
      for (const [re, flags] of SMALL_FLAGS) if (re.test(line)) line += flags;
      const p = spawnSync('bash', ['-c', line.replace(/^npx bnnrelax/, CLI).replace(/&& npx bnnrelax/g, `&& ${CLI}`)], {
        cwd: dir,
        encoding: 'utf8',
        timeout: 120_000,
        env: { ...process.env, BNNRELAX_DATA: join(dir, 'no-shared-data') },
      });
      expect(p.stderr, line).not.toMatch(/internal error|\bat .*\.ts:\d+/);
      expect(p.status, `${line}\n${p.stderr}`).toBe(0);
    });
  }

  it('every command not run here has its reason, and nothing else is skipped', () => {
    const skipped = commands.filter((c) => NOT_RUN.some(([re]) => re.test(c)));
    expect(skipped.length).toBe(NOT_RUN.length);
  });
});
