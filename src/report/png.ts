/**
 * SVG to PNG with an external converter, where one is installed: rsvg-convert (librsvg; Debian
 * and Ubuntu package librsvg2-bin). Vega's own PNG output needs node-canvas, a native build this
 * project does not take on for one figure format.
 */
import { spawnSync } from 'node:child_process';
import { UserError } from '../core/errors.js';

export const PNG_CONVERTER = 'rsvg-convert';

/** Whether the converter runs here. */
export function pngConverterAvailable(): boolean {
  const r = spawnSync(PNG_CONVERTER, ['--version'], { encoding: 'utf8' });
  return r.status === 0;
}

/** Writes the SVG text as a PNG file (white background, `zoom` x the SVG's size). */
export function writeSvgAsPng(svg: string, file: string, zoom = 2): void {
  const r = spawnSync(PNG_CONVERTER, ['--zoom', String(zoom), '--background-color', 'white', '--format', 'png', '--output', file], { input: svg });
  if (r.error) throw new UserError(`${file}: cannot write PNG: ${PNG_CONVERTER} is not available (${(r.error as NodeJS.ErrnoException).code ?? r.error.message}; install librsvg2-bin, or write .svg)`);
  if (r.status !== 0) throw new UserError(`${file}: ${PNG_CONVERTER} failed (${r.stderr.toString('utf8').trim().split('\n')[0] ?? `exit ${r.status}`})`);
}
