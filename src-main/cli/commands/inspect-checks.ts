/**
 * The engine's check of `lamina inspect`'s CI ratio flags, run while the flags are
 * parsed so a bad value is a usage error. Loaded only when such a flag is given
 * (parse-time-checks.ts), so `lamina inspect --help` does not load the engine.
 */
import { InvalidArgumentError } from 'commander';
import { parseRatioSetting, type RuleSetting } from '../../engine/inspect/dive-ci.js';

/** A ratio (0.95 or 95%) or "disabled". */
export function parseFraction(value: string): RuleSetting {
  const text = value.trim().endsWith('%') ? String(Number(value.trim().slice(0, -1)) / 100) : value;
  try {
    return parseRatioSetting(text, 'the value');
  } catch {
    throw new InvalidArgumentError('write a ratio as 0.95 or 95%, or disabled');
  }
}
