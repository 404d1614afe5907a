/**
 * The engine's checks of `lamina build`'s flag values, run while the flags are
 * parsed so a bad value is a usage error (exit 2), not a failed job. Loaded only
 * when such a flag is given (parse-time-checks.ts), so `lamina build --help` does
 * not load the engine.
 */
import { InvalidArgumentError } from 'commander';
import { hostNixSystem } from '../../engine/builder/recipe.js';
import { makeImageConfig, type RuntimeConfig } from '../../engine/image/config.js';
import { parseImageLocation } from '../../engine/image/transport.js';
import { parseCacheReference } from '../../engine/team-cache/cache-reference.js';

/** The engine's own check of one runtime setting. */
export function checkRuntime(runtime: RuntimeConfig): void {
  try {
    makeImageConfig({ system: hostNixSystem(), layers: [], runtime });
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

export function checkLocation(value: string): string {
  try {
    parseImageLocation(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
  return value;
}

export function checkCacheReference(value: string): string {
  try {
    parseCacheReference(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
  return value;
}
