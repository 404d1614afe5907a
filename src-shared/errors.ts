/**
 * An error meant for a person: `message` is one line that says what is wrong and
 * what to do. The CLI prints it as is (no stack), the UI shows it where it happened.
 * Anything else that escapes is a bug and is reported as such.
 */
export class LaminaError extends Error {
  override readonly name = 'LaminaError';
  constructor(
    message: string,
    /** A stable, machine-readable kind, for `--json` output and the UI. */
    readonly code: string = 'error',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isLaminaError(err: unknown): err is LaminaError {
  return err instanceof LaminaError;
}

/** One line for a person, whatever was thrown. */
export function errorLine(err: unknown): string {
  if (isLaminaError(err)) return err.message;
  if (err instanceof Error) return `internal error: ${err.message.split('\n')[0]} (please report this)`;
  return `internal error: ${String(err)} (please report this)`;
}
