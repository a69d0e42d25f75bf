/**
 * Heavy dependencies (csv-parse, csv-stringify, ml-matrix, cli-progress) are loaded the first
 * time a command actually uses them, not when the CLI starts: importing them eagerly cost every
 * command, `--version` included, their whole module graph. Synchronous (CommonJS require),
 * because their callers are synchronous; ESM-only packages (vega) use `await import()` instead.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** A function returning the module `specifier`, required on its first call and cached. */
export function lazyRequire<T>(specifier: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(specifier) as T);
}
