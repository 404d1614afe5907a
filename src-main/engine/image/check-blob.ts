/**
 * The one check every reader of a blob makes: its size and digest are what the
 * descriptor promised. Apart from validate.ts (the schemas) so that the content
 * store, which every command opens, does not load a schema library to make it.
 */
import { LaminaError } from '../../../src-shared/errors.js';

/** Throws unless `actual` matches what a descriptor promised. */
export function checkBlob(expected: { digest: string; size: number }, actual: { digest: string; size: number }, what: string): void {
  if (actual.size !== expected.size) {
    throw new LaminaError(`${what} is ${actual.size} bytes but ${expected.size} were promised; it is truncated or damaged`, 'bad-blob');
  }
  if (actual.digest !== expected.digest) {
    throw new LaminaError(`${what} has digest ${actual.digest} but ${expected.digest} was promised; it is damaged`, 'bad-blob');
  }
}
