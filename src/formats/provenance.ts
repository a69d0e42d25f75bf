/**
 * Provenance of a result: which code on which machine produced it. Recorded in every bench
 * results row (and meant for `solve --json`), so that a results file says what made it and
 * `--resume` can refuse to mix rows of two versions.
 *
 *   package, version   from the package.json of this installation (found upward from this file)
 *   commit             the git commit of the checkout this code runs from, read from .git/HEAD
 *                      (and the ref it names: loose ref or packed-refs; worktrees followed);
 *                      absent when not run from a checkout. Uncommitted edits are not detected.
 *   node               process.version
 *   cores              os.availableParallelism() (the cores this process may use)
 *
 * Read once per process: a results row costs no file access and no `git` process.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Provenance {
  package: string;
  version: string;
  commit?: string;
  node: string;
  cores: number;
}

function readOr(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The folder holding this package's package.json (src/formats in a checkout, dist/src/formats when built). */
function packageRoot(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const text = readOr(join(dir, 'package.json'));
    if (text && (JSON.parse(text) as { name?: unknown }).name === 'bnnrelax') return dir;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** The commit HEAD points at in the git checkout at `root`, without running git. */
export function gitCommit(root: string): string | undefined {
  let gitDir = join(root, '.git');
  if (!existsSync(gitDir)) return undefined;
  if (statSync(gitDir).isFile()) {
    // a worktree or submodule: `.git` is a file "gitdir: PATH"
    const m = /^gitdir:\s*(.+?)\s*$/m.exec(readOr(gitDir) ?? '');
    if (!m) return undefined;
    gitDir = resolve(root, m[1]!);
  }
  const head = readOr(join(gitDir, 'HEAD'))?.trim();
  if (!head) return undefined;
  if (/^[0-9a-f]{40}$/.test(head)) return head; // detached HEAD
  const ref = /^ref:\s*(\S+)$/.exec(head)?.[1];
  if (!ref) return undefined;
  // refs live in the common dir of a worktree (named by its `commondir` file)
  const common = resolve(gitDir, readOr(join(gitDir, 'commondir'))?.trim() ?? '.');
  for (const dir of [gitDir, common]) {
    const loose = readOr(join(dir, ref))?.trim();
    if (loose && /^[0-9a-f]{40}$/.test(loose)) return loose;
  }
  for (const line of (readOr(join(common, 'packed-refs')) ?? '').split('\n')) {
    const [sha, name] = line.trim().split(' ');
    if (name === ref && sha && /^[0-9a-f]{40}$/.test(sha)) return sha;
  }
  return undefined;
}

let cached: Provenance | undefined;

/** This process's provenance (computed on first use). */
export function provenance(): Provenance {
  if (cached) return cached;
  const root = packageRoot();
  const pkg = root ? (JSON.parse(readOr(join(root, 'package.json'))!) as { name: string; version: string }) : { name: 'bnnrelax', version: 'unknown' };
  const commit = root ? gitCommit(root) : undefined;
  cached = { package: pkg.name, version: pkg.version, ...(commit ? { commit } : {}), node: process.version, cores: availableParallelism() };
  return cached;
}

/** `provenance()` plus the parameters a solver actually ran with, for one result. */
export function provenanceWith(params?: Record<string, unknown>): Provenance & { params?: Record<string, unknown> } {
  return { ...provenance(), ...(params ? { params } : {}) };
}

/** Why two provenances are not the same code, or undefined when they are (commit compared when both know it). */
export function versionDifference(a: Partial<Provenance> | undefined, b: Provenance): string | undefined {
  const name = (p: Partial<Provenance>) => `bnnrelax ${p.version ?? '?'}${p.commit ? ` (commit ${p.commit.slice(0, 12)})` : ''}`;
  if (!a || a.version === undefined) return `written without provenance (an older bnnrelax), this is ${name(b)}`;
  if (a.version !== b.version || (a.commit !== undefined && b.commit !== undefined && a.commit !== b.commit)) return `written by ${name(a)}, this is ${name(b)}`;
  return undefined;
}
