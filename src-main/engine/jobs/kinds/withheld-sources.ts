/**
 * Job inputs are stored in lamina.db, so a package source with credentials
 * (`git+https://user:token@host/repo`) is stored with them redacted, and the
 * real source is kept in this process's memory only, for the job to give Nix.
 * A job run later from its stored input (a retry in another process, or after a
 * restart) has only the redacted source, and says so instead of letting Nix fail.
 */
import { LaminaError } from '../../../../src-shared/errors.js';
import { isRedacted, redactCredentials } from '../../nix/redact.js';

export class WithheldSources {
  private readonly real = new Map<string, string>();

  /** The source to store with the job; the real one is remembered for `reveal`. */
  withhold(source: string): string {
    const stored = redactCredentials(source);
    if (stored !== source) this.real.set(stored, source);
    return stored;
  }

  /** The source to give Nix for a stored one. */
  reveal(stored: string): string {
    const real = this.real.get(stored);
    if (real !== undefined) return real;
    if (isRedacted(stored)) {
      throw new LaminaError(
        `the source ${stored} had a user name or password, which Lamina does not store; start the build again with the full source`,
        'source-credentials',
      );
    }
    return stored;
  }
}
