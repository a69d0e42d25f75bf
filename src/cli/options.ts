/**
 * Parsers for command-line option values. Each throws commander's InvalidArgumentError, which
 * commander reports as one line naming the option.
 */
import { InvalidArgumentError } from 'commander';

export function parseSeed(raw: string): number {
  const v = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(v)) throw new InvalidArgumentError('expected a non-negative integer');
  return v;
}

export function parsePositiveInt(raw: string): number {
  const v = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(v) || v < 1) throw new InvalidArgumentError('expected a positive integer');
  return v;
}

export function parsePositiveNumber(raw: string): number {
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v) || v <= 0) throw new InvalidArgumentError('expected a positive number');
  return v;
}

/** Collects repeated `--param key=value` into a record. */
export function collectKeyValue(raw: string, previous: Record<string, string> = {}): Record<string, string> {
  const eq = raw.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError(`expected key=value, got '${raw}'`);
  return { ...previous, [raw.slice(0, eq).trim()]: raw.slice(eq + 1).trim() };
}

export function parseNonNegativeInt(raw: string): number {
  return parseSeed(raw);
}

/** A comma-separated list of integers, each at least `min`. */
export function parseIntList(min: number) {
  return (raw: string): number[] => {
    const out = raw.split(',').map((s) => s.trim());
    if (out.some((s) => !/^\d+$/.test(s) || !Number.isSafeInteger(Number(s)) || Number(s) < min)) throw new InvalidArgumentError(`expected comma-separated integers >= ${min}`);
    return out.map(Number);
  };
}

/** One of a fixed set of words. */
export function parseChoice<T extends string>(choices: readonly T[]) {
  return (raw: string): T => {
    const v = raw.trim() as T;
    if (!choices.includes(v)) throw new InvalidArgumentError(`expected one of ${choices.join(', ')}`);
    return v;
  };
}
