/** Reads a diagonally constrained SDP from an SDPA `.dat-s` file or a G-set graph. */
import { UserError } from '../core/errors.js';
import type { DiagSdp } from '../core/diag-sdp.js';
import { parseSdpa } from './sdpa.js';
import { readText } from './text-file.js';
import { parseGset } from './gset.js';

export const SDP_FORMATS = ['sdpa', 'gset'] as const;
export type SdpFormat = (typeof SDP_FORMATS)[number];

/**
 * By extension, else by the first data line: SDPA's starts with one number (m) that may be followed
 * by a comment (`8 =mdim`, `8 "constraints"`), a G-set graph's is two integers (n m).
 */
export function detectFormat(path: string, text: string): SdpFormat {
  if (/\.dat-s$/i.test(path)) return 'sdpa';
  const first = text.split(/\r?\n/).find((l) => l.trim() !== '' && !/^\s*["*]/.test(l));
  if (first === undefined) throw new UserError(`${path}:1: empty file`);
  const fields = first.trim().split(/\s+/);
  const numeric = (t: string | undefined) => t !== undefined && /^[+-]?\d/.test(t);
  if (fields.length === 1 || (numeric(fields[0]) && !numeric(fields[1]))) return 'sdpa';
  if (fields.length === 2) return 'gset';
  throw new UserError(`${path}: cannot tell the format (first line has ${fields.length} fields); give --format sdpa|gset`);
}

export function readDiagSdp(path: string, format?: SdpFormat): DiagSdp {
  const text = readText(path);
  const f = format ?? detectFormat(path, text);
  return f === 'sdpa' ? parseSdpa(text, path) : parseGset(text, path);
}
