/**
 * native/deflate (package lamina-deflate): libdeflate's gzip, built by node-gyp at
 * `npm ci` against the system's libdeflate. Which libdeflate it is decides a gzip
 * layer's bytes, so its version is part of the layer format (format.ts). Loaded
 * here only to learn that version and where it is; the compression workers load
 * it again for the work.
 */
import type * as LaminaDeflate from 'lamina-deflate';
import { createRequire } from 'node:module';
import { LaminaError } from '../../../src-shared/errors.js';

interface Addon {
  readonly path: string;
  readonly version: string;
}

let loaded: Addon | LaminaError | undefined;

function load(): Addon | LaminaError {
  if (loaded) return loaded;
  const require = createRequire(import.meta.url);
  try {
    const path = require.resolve('lamina-deflate');
    const { libdeflateVersion } = require(path) as typeof LaminaDeflate;
    loaded = { path, version: libdeflateVersion };
  } catch (err) {
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    loaded = new LaminaError(
      `gzip layers need Lamina's libdeflate addon, which cannot be loaded (${reason}); install libdeflate (Debian: apt-get install libdeflate-dev, macOS: brew install libdeflate) and run npm ci again`,
      'gzip-engine',
      { cause: err },
    );
  }
  return loaded;
}

/** The gzip engine as it goes into the layer format: `libdeflate-1.14`, or `libdeflate-missing` (no gzip layer can then be written). */
export function gzipEngine(): string {
  const addon = load();
  return addon instanceof LaminaError ? 'libdeflate-missing' : `libdeflate-${addon.version}`;
}

/** Where the addon is, for the workers to load it; throws the one-line explanation when it cannot be loaded. */
export function deflateAddonPath(): string {
  const addon = load();
  if (addon instanceof LaminaError) throw addon;
  return addon.path;
}
