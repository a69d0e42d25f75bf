/**
 * One-line problem specs: `kind:key=value,key=value`. A SpecReader hands out typed values with
 * defaults and, when done, refuses keys nobody asked for (naming them) and returns the canonical
 * spec with every value written out, so a result always records exactly what was solved.
 */
import { UserError } from './errors.js';
import { parseDecimal } from './numbers.js';

export interface ParsedSpec {
  kind: string;
  entries: Map<string, string>;
  text: string;
}

export function parseSpec(text: string): ParsedSpec {
  const trimmed = text.trim();
  const colon = trimmed.indexOf(':');
  const kind = (colon < 0 ? trimmed : trimmed.slice(0, colon)).trim();
  if (!/^[a-z][a-z0-9_-]*$/i.test(kind)) throw new UserError(`problem spec '${text}': expected 'kind:key=value,...'`);
  const entries = new Map<string, string>();
  const body = colon < 0 ? '' : trimmed.slice(colon + 1);
  for (const part of body.split(',')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    if (eq < 0) throw new UserError(`problem spec '${text}': '${part.trim()}' is not key=value`);
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (!key) throw new UserError(`problem spec '${text}': empty key in '${part.trim()}'`);
    if (entries.has(key)) throw new UserError(`problem spec '${text}': key '${key}' given twice`);
    entries.set(key, value);
  }
  return { kind, entries, text };
}

interface Range {
  min?: number;
  max?: number;
}

export class SpecReader {
  private readonly used: string[] = [];
  private readonly canonical: string[] = [];

  constructor(private readonly spec: ParsedSpec) {}

  private raw(key: string): string | undefined {
    this.used.push(key);
    return this.spec.entries.get(key);
  }

  private fail(key: string, why: string): never {
    throw new UserError(`problem spec '${this.spec.text}': key '${key}' ${why}`);
  }

  number(key: string, fallback: number, range: Range = {}): number {
    const raw = this.raw(key);
    const parsed = raw === undefined ? fallback : parseDecimal(raw);
    if (parsed === undefined) this.fail(key, `must be a finite decimal number, got '${raw}'`);
    const v = parsed;
    if (range.min !== undefined && v < range.min) this.fail(key, `must be >= ${range.min}, got ${v}`);
    if (range.max !== undefined && v > range.max) this.fail(key, `must be <= ${range.max}, got ${v}`);
    this.canonical.push(`${key}=${v}`);
    return v;
  }

  int(key: string, fallback: number, range: Range = {}): number {
    const v = this.number(key, fallback, range);
    if (!Number.isSafeInteger(v)) this.fail(key, `must be an integer of at most 2^53 - 1, got ${v}`);
    return v;
  }

  choice<T extends string>(key: string, fallback: T, choices: readonly T[]): T {
    const raw = this.raw(key) ?? fallback;
    if (!choices.includes(raw as T)) this.fail(key, `must be one of ${choices.join('|')}, got '${raw}'`);
    this.canonical.push(`${key}=${raw}`);
    return raw as T;
  }

  /** A free-form value (a path, an architecture); `pattern` says what is allowed. */
  text(key: string, fallback: string, pattern?: RegExp, what = 'a valid value'): string {
    const raw = this.raw(key) ?? fallback;
    if (raw === '') this.fail(key, 'must not be empty');
    if (pattern && !pattern.test(raw)) this.fail(key, `must be ${what}, got '${raw}'`);
    this.canonical.push(`${key}=${raw}`);
    return raw;
  }

  /** Refuses unknown keys and returns the canonical spec string. */
  finish(): string {
    for (const key of this.spec.entries.keys()) {
      if (!this.used.includes(key)) {
        throw new UserError(`problem spec '${this.spec.text}': unknown key '${key}' (known for ${this.spec.kind}: ${this.used.join(', ')})`);
      }
    }
    return `${this.spec.kind}:${this.canonical.join(',')}`;
  }
}
