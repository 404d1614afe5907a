/**
 * Where a registry's secret can live, none of them the database in plain text:
 * sealed by Electron's safeStorage (the app passes its encrypt/decrypt pair in, so
 * the engine never imports electron), in a docker credential helper, or in this
 * process's memory for the session only (`lamina serve` without either).
 */
import { LaminaError } from '../../../src-shared/errors.js';
import { checkHelperName, credentialHelper, type CredentialHelper } from '../registry/credential-helper.js';

/** Electron's safeStorage, or anything that encrypts with a key the OS keeps. */
export interface SecretSealer {
  readonly encrypt: (plain: string) => Buffer;
  readonly decrypt: (sealed: Buffer) => string;
}

/**
 * The helper a login from Settings is kept in, its failures worded for Settings.
 * Helper messages can echo what they were given, so a failure is reported by
 * helper and verb only, never with the helper's output.
 */
export function keepingHelper(helper: string): CredentialHelper {
  return credentialHelper(checkHelperName(helper), {
    notInstalled: (program) => new LaminaError(`the credential helper ${program} is not installed; install it or keep the secret another way`, 'no-cred-helper'),
    failed: (program, verb, host) => new LaminaError(`${program} ${verb} failed${host ? ` for ${host}` : ''}; run it by hand to see why (is its store unlocked?)`, 'cred-helper-failed'),
    notJson: (program, verb, host) => new LaminaError(`${program} ${verb} answered something that is not JSON${host ? ` for ${host}` : ''}`, 'cred-helper-failed'),
  });
}
