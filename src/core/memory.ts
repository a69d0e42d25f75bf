/**
 * Checks a planned allocation before it is made, so that an input asking for more memory than the
 * machine should give fails with a one-line error that says how much and what to change, instead
 * of a RangeError, an out-of-memory crash or a machine brought to its knees.
 */
import { totalmem } from 'node:os';
import { UserError } from './errors.js';

/** The cap: $BNNRELAX_MAX_MEMORY (bytes, or with a K/M/G suffix), else half of this machine's memory. */
export function memoryCap(): number {
  const raw = process.env.BNNRELAX_MAX_MEMORY?.trim();
  if (raw) {
    const m = /^(\d+(?:\.\d+)?)([KMG]?)B?$/i.exec(raw);
    if (m) return Number(m[1]) * { '': 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30 }[m[2]!.toUpperCase() as '' | 'K' | 'M' | 'G'];
  }
  return totalmem() / 2;
}

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return 'an unbounded amount';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 && u > 0 ? 1 : 0)} ${units[u]}`;
}

/**
 * Refuses when `bytes` (an estimate of what `what` will allocate) is above the cap. `hint` says
 * which option or input lowers it.
 */
export function ensureAffordable(bytes: number, what: string, hint?: string): void {
  const cap = memoryCap();
  if (!(bytes <= cap)) {
    throw new UserError(`${what} needs about ${formatBytes(bytes)}, more than the ${formatBytes(cap)} allowed (set BNNRELAX_MAX_MEMORY to change the cap${hint ? `; ${hint}` : ''})`);
  }
}
