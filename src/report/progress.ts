/**
 * A progress bar on stderr for long runs, only when stderr is a terminal (so scripts and pipes
 * get clean output). Built on cli-progress.
 */
import type cliProgressModule from 'cli-progress';
import { lazyRequire } from '../core/lazy-require.js';
import type { Io } from '../core/io.js';

export interface Progress {
  update(done: number, note?: string): void;
  stop(): void;
}

const loadCliProgress = lazyRequire<typeof cliProgressModule>('cli-progress');

export function progressBar(io: Io, total: number, label: string): Progress {
  if (!io.errIsTTY) return { update: () => {}, stop: () => {} };
  const cliProgress = loadCliProgress();
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {percentage}% | {value}/{total} | {note}`, stream: process.stderr, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { note: '' });
  return {
    update: (done, note = '') => bar.update(done, { note }),
    stop: () => bar.stop(),
  };
}
