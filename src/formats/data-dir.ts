/** Where the public reference data lives: --data, else $BNNRELAX_DATA, else ../shared/data. */
import { resolve } from 'node:path';

export function referenceDataDir(explicit?: string): string {
  return resolve(explicit ?? process.env.BNNRELAX_DATA ?? '../shared/data');
}
