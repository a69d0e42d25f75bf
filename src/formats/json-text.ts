/**
 * JSON text parsed with a syntax error reported as one line naming the file and the line
 * (`file:line: malformed JSON (...)`), for every JSON input format (model, QUBO / BQP).
 */
import { UserError } from '../core/errors.js';

/** Line (1-based) of character `position` in `text`. */
function lineOf(text: string, position: number): number {
  let line = 1;
  for (let k = 0; k < position && k < text.length; k++) if (text.charCodeAt(k) === 10) line++;
  return line;
}

export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const lineCol = /line (\d+) column \d+/.exec(message);
    const position = /position (\d+)/.exec(message);
    const line = lineCol ? Number(lineCol[1]) : position ? lineOf(text, Number(position[1])) : lineOf(text, text.length);
    throw new UserError(`${file}:${line}: malformed JSON (${message.replace(/\s*\n\s*/g, ' ')})`);
  }
}
