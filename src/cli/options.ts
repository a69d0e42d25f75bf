/**
 * Parsers for command-line option values. Each throws commander's InvalidArgumentError, which
 * commander reports as one line naming the option.
 */
import { InvalidArgumentError, type Command } from 'commander';

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

/** A finite decimal number (negative allowed), e.g. an input threshold. */
export function parseFiniteNumber(raw: string): number {
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v)) throw new InvalidArgumentError('expected a finite number');
  return v;
}

/** A comma-separated list of names, none empty: `a,b` -> ['a', 'b']; `''` and `a,,b` are refused. */
export function parseNameList(raw: string): string[] {
  const names = raw.split(',').map((s) => s.trim());
  if (names.some((s) => s === '')) throw new InvalidArgumentError(`expected a comma-separated list of names, got '${raw}'`);
  return names;
}

/**
 * Makes every option of `command` that takes a value refuse an empty one (`--out ''`,
 * `--threshold ''`): without this an empty string reaches a parser like Number('') = 0 or a list
 * parser that drops it, and the command silently runs with a value nobody asked for. Wraps any
 * parser the option already has, so the check holds for options added later too.
 */
export function refuseEmptyValues(command: Command): void {
  for (const option of command.options) {
    if (!option.required && !option.optional) continue; // a flag: takes no value
    const parse = option.parseArg;
    option.argParser((raw: string, previous: unknown) => {
      if (raw.trim() === '') throw new InvalidArgumentError('expected a value, got an empty string');
      return parse ? parse(raw, previous) : raw;
    });
  }
}

/**
 * Checks mandatory options in a preAction hook, after commander has checked for unknown options,
 * so that `solve --foo` reports the unknown `--foo` rather than a missing `--problem` (commander
 * checks mandatory options first).
 */
export function checkMandatoryAfterUnknown(command: Command): void {
  const mandatory = command.options.filter((o) => o.mandatory);
  if (mandatory.length === 0) return;
  for (const option of mandatory) option.mandatory = false;
  command.hook('preAction', (cmd) => {
    for (const option of mandatory) {
      if (cmd.getOptionValue(option.attributeName()) === undefined) {
        cmd.error(`error: required option '${option.flags}' not specified`, { code: 'commander.missingMandatoryOptionValue', exitCode: 1 });
      }
    }
  });
}

export function parseNonNegativeInt(raw: string): number {
  return parseSeed(raw);
}

/** A comma-separated list of integers, each at least `min`. */
export function parseIntList(min: number, max = Number.MAX_SAFE_INTEGER) {
  return (raw: string): number[] => {
    const out = raw.split(',').map((s) => s.trim());
    if (out.some((s) => !/^\d+$/.test(s) || !Number.isSafeInteger(Number(s)) || Number(s) < min || Number(s) > max)) {
      throw new InvalidArgumentError(`expected comma-separated integers from ${min} to ${max}`);
    }
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
