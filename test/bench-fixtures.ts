/**
 * Fixtures for the bench tests: a tiny reference-data folder (two random G-set graphs and the
 * README table `bench sdp` reads), generated here so that the default suite needs no ../shared,
 * and helpers to run the CLI in-process or as a child process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../src/cli/cli.js';
import { bufferIo } from '../src/core/io.js';
import { mulberry32 } from './helpers.js';

export async function cli(...argv: string[]) {
  const io = bufferIo();
  const code = await runCli(argv, io);
  return { code, out: io.stdout, err: io.stderr };
}

/** The `case` of every line of a results file (complete lines only). */
export function caseIds(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  return text
    .slice(0, text.lastIndexOf('\n') + 1)
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l).case as string);
}

/** Every line of a results file as an object. */
export function rowsOf(path: string): Record<string, unknown>[] {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l));
}

/**
 * A data folder with two random graphs (n = 120 and 160, edge probability 0.08, unit weights) in
 * G-set format and a README table naming them. The table's SDP optimum column is a placeholder
 * (tableRelErr is then meaningless; these tests check the results file, not the solver).
 */
export function tinySdpData(dir: string): string {
  const random = mulberry32(7);
  mkdirSync(join(dir, 'gset'), { recursive: true });
  const rows: string[] = [];
  for (const [name, n] of [['Gtiny1', 120], ['Gtiny2', 160]] as const) {
    const edges: string[] = [];
    for (let i = 1; i <= n; i++) for (let j = i + 1; j <= n; j++) if (random() < 0.08) edges.push(`${i} ${j} 1`);
    writeFileSync(join(dir, 'gset', `${name}.txt`), `${n} ${edges.length}\n${edges.join('\n')}\n`);
    rows.push(`| ${name} | ${n} | ${edges.length} | +1 | 100 | 90 |`);
  }
  writeFileSync(join(dir, 'README.md'), ['# tiny reference data', '', '## gset/', '', '| file | n | edges | weights | SDP optimum | best known cut |', '|---|---:|---:|---|---:|---:|', ...rows, ''].join('\n'));
  return dir;
}

/** Starts `bnnrelax ARGS` as a child process (through tsx, from the sources). */
export function spawnCli(args: string[], env: NodeJS.ProcessEnv = process.env): { child: ChildProcess; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { stdio: 'ignore', env });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited };
}

/** Complete lines in `path` now (0 when it does not exist). */
export function completeLines(path: string): number {
  if (!existsSync(path)) return 0;
  const text = readFileSync(path, 'utf8');
  return text.split('\n').length - 1;
}

/** Resolves once `cond` holds (polling every 5 ms), or rejects after `timeoutMs`. */
export function waitFor(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const poll = setInterval(() => {
      if (cond()) {
        clearInterval(poll);
        resolve();
      } else if (Date.now() - t0 > timeoutMs) {
        clearInterval(poll);
        reject(new Error(`timed out waiting for ${what}`));
      }
    }, 5);
  });
}
