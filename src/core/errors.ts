/**
 * An error caused by what the user gave us (a flag, a spec, a file). The CLI prints its message
 * as one line and exits with code 2; anything else is a bug and keeps its stack trace.
 */
export class UserError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

/** Throws a UserError unless `cond` holds. */
export function check(cond: unknown, message: string): asserts cond {
  if (!cond) throw new UserError(message);
}
