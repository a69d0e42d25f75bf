/**
 * An exclusive lock on a file that one process writes: `F.lock` beside it, created with O_EXCL
 * (`open(..., 'wx')`, atomic on local file systems and NFSv3+), holding the owner's pid, host and
 * start time. A lock left by a killed run (kill -9, power loss) is stale when its host is this
 * host and its pid is no longer alive: it is taken over at once, so `--resume` right after a kill
 * just works. A lock from another host cannot be checked from here; it is refused with a message
 * saying which run holds it and that deleting the lock file releases it.
 *
 * Why not a package (proper-lockfile): its stale detection is an mtime heartbeat, so a resume
 * after a kill must wait out the stale period (at least 2 s) and a heartbeat timer runs in every
 * writer; the pid check here is immediate and needs no timer. What it does not cover: a pid
 * reused by an unrelated process after a kill keeps the lock held (the message names the pid).
 */
import { closeSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { UserError } from '../core/errors.js';
import { fileErrorReason } from './text-file.js';

interface LockOwner {
  pid: number;
  host: string;
  since: string;
}

/** Whether process `pid` exists on this host (EPERM: it exists but belongs to another user). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(lockPath: string): LockOwner | undefined {
  try {
    const o = JSON.parse(readFileSync(lockPath, 'utf8')) as Partial<LockOwner>;
    if (typeof o.pid === 'number' && typeof o.host === 'string' && typeof o.since === 'string') return o as LockOwner;
  } catch {
    // unreadable or half-written: decided by age below
  }
  return undefined;
}

/** A lock file younger than this with no readable owner is being written by its creator. */
const HALF_WRITTEN_GRACE_MS = 5000;

/**
 * Takes the lock on `target` (what `what` describes in messages); returns the function that
 * releases it. Throws a one-line UserError when another live run holds it or the lock file cannot
 * be created.
 */
export function acquireLock(target: string, what = 'results file'): () => void {
  const lockPath = `${target}.lock`;
  const me: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(lockPath, 'wx');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new UserError(`${lockPath}: cannot create the lock for ${target} (${fileErrorReason(e)})`);
      const owner = readOwner(lockPath);
      let stale: boolean;
      if (owner) stale = owner.host === me.host && !alive(owner.pid);
      else {
        let age = 0;
        try {
          age = Date.now() - statSync(lockPath).mtimeMs;
        } catch {
          continue; // removed meanwhile: try again
        }
        stale = age > HALF_WRITTEN_GRACE_MS;
      }
      if (!stale) {
        const who = owner ? `pid ${owner.pid} on ${owner.host} since ${owner.since}` : 'a run that is starting';
        throw new UserError(`${target}: in use by another run (${who}); two runs cannot write one ${what}; if that run is dead, delete ${lockPath}`);
      }
      // move the stale lock aside under a name of our own, so that two runs taking over the same
      // stale lock cannot delete each other's fresh one
      const aside = `${lockPath}.stale-${me.pid}-${Date.now()}`;
      try {
        renameSync(lockPath, aside);
        unlinkSync(aside);
      } catch (e2) {
        if ((e2 as NodeJS.ErrnoException).code !== 'ENOENT') throw new UserError(`${lockPath}: cannot remove the stale lock of a dead run (${fileErrorReason(e2)})`);
      }
      continue;
    }
    try {
      writeSync(fd, JSON.stringify(me) + '\n');
    } finally {
      closeSync(fd);
    }
    return () => {
      // release only our own lock (it may have been deleted by hand and retaken by another run)
      const owner = readOwner(lockPath);
      if (owner && owner.pid === me.pid && owner.host === me.host && owner.since === me.since) {
        try {
          unlinkSync(lockPath);
        } catch {
          // already gone: nothing to release
        }
      }
    };
  }
  throw new UserError(`${target}: could not take the lock ${lockPath} (other runs keep taking it); try again`);
}
