/**
 * Reading numbers from user text (files, specs, options) by one rule: plain decimal notation
 * only (`12`, `-0.5`, `1e-3`), finite. `Number()` alone also takes hex and binary literals
 * (`0x1`, `0b101`), `Infinity` and whitespace, and turns `1e400` into Infinity — none of which a
 * user means as a number here.
 */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The value of a decimal literal, or undefined when `raw` is not one or is not finite. */
export function parseDecimal(raw: string): number | undefined {
  if (!DECIMAL.test(raw)) return undefined;
  const v = Number(raw);
  return Number.isFinite(v) ? v : undefined;
}

/** The value of an integer literal that is exactly representable (|v| <= 2^53 - 1), else undefined. */
export function parseSafeInteger(raw: string): number | undefined {
  const v = parseDecimal(raw);
  return v !== undefined && Number.isSafeInteger(v) ? v : undefined;
}

/**
 * The largest sum of absolute entries accepted in a matrix or vector read from a user: every sum,
 * product and square a solver forms from the data (row fields, multipliers, norms, squared norms in
 * Lanczos and Cholesky) then stays far from overflow (1e100 squared is 1e200 < 1.8e308).
 */
export const MAX_ABS_SUM = 1e100;
