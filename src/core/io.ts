/** Where the CLI writes: real streams in production, string buffers in tests. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Whether stderr is an interactive terminal (progress bars only go there). */
  errIsTTY: boolean;
}

export const processIo: Io = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  errIsTTY: Boolean(process.stderr.isTTY),
};

export function bufferIo(): Io & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    errIsTTY: false,
    out(text: string) {
      io.stdout += text;
    },
    err(text: string) {
      io.stderr += text;
    },
  };
  return io;
}

/**
 * A reader that stops early (`bnnrelax demo | head`) closes the pipe, and the next write fails
 * with EPIPE. Like a Unix filter ended by SIGPIPE, the CLI then stops quietly (`exit(0)`) instead
 * of dying on an unhandled 'error' event with a stack trace; any other stream error is rethrown.
 */
export function stopQuietlyOnClosedPipe(stream: NodeJS.EventEmitter, exit: (code: number) => void): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') return exit(0);
    throw error;
  });
}
