/**
 * Where the public reference data lives: --data, else $BNNRELAX_DATA, else ../shared/data. A
 * folder named explicitly (option or variable) must exist: a typo would otherwise silently drop
 * every case that reads it.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '../core/errors.js';

export function referenceDataDir(explicit?: string): string {
  const named = explicit ?? process.env.BNNRELAX_DATA;
  const dir = resolve(named ?? '../shared/data');
  if (named !== undefined && !(existsSync(dir) && statSync(dir).isDirectory())) {
    throw new UserError(`${dir}: no such folder; give --data DIR or set BNNRELAX_DATA`);
  }
  return dir;
}
