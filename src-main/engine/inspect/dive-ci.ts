/**
 * dive's CI rules: a `.dive-ci` YAML file with a `rules:` map of
 * `lowestEfficiency`, `highestWastedBytes` and `highestUserWastedPercent`, each a
 * value or "disabled" (also "off", "false" or empty). A rule the file leaves out
 * keeps dive's default: lowestEfficiency 0.9, highestWastedBytes disabled,
 * highestUserWastedPercent 0.1. Byte counts read as dive reads them (go-humanize:
 * 20MB and 20M are 20,000,000 bytes, 20MiB is 20,971,520).
 */
import { parse } from 'yaml';
import { LaminaError } from '../../../src-shared/errors.js';
import type { CiThresholds } from './ci.js';

/** A rule's setting: a threshold, or turned off. */
export type RuleSetting = number | 'disabled';

export interface CiRules {
  readonly lowestEfficiency?: RuleSetting;
  readonly highestWastedBytes?: RuleSetting;
  readonly highestUserWastedPercent?: RuleSetting;
}

export const DIVE_DEFAULT_RULES: Required<CiRules> = { lowestEfficiency: 0.9, highestWastedBytes: 'disabled', highestUserWastedPercent: 0.1 };

/** dive's CI switch from the environment: CI=true (or 1, yes, t). */
export function ciFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  return /^(1|t|true|yes)$/i.test((env['CI'] ?? '').trim());
}

function isDisabled(text: string): boolean {
  return ['', 'disabled', 'off', 'false'].includes(text.trim().toLowerCase());
}

/** A ratio from 0 to 1, or "disabled". */
export function parseRatioSetting(value: unknown, what: string): RuleSetting {
  const text = String(value ?? '');
  if (value === false || isDisabled(text)) return 'disabled';
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new LaminaError(`${what} is "${text}"; write a ratio from 0 to 1 (e.g. 0.9) or disabled`, 'bad-threshold');
  return n;
}

const BYTE_UNITS: Record<string, number> = { '': 1, b: 1, k: 1e3, kb: 1e3, m: 1e6, mb: 1e6, g: 1e9, gb: 1e9, t: 1e12, tb: 1e12, ki: 1024, kib: 1024, mi: 1024 ** 2, mib: 1024 ** 2, gi: 1024 ** 3, gib: 1024 ** 3, ti: 1024 ** 4, tib: 1024 ** 4 };

/** A byte count as go-humanize's ParseBytes reads it, or "disabled". */
export function parseBytesSetting(value: unknown, what: string): RuleSetting {
  const text = String(value ?? '');
  if (value === false || isDisabled(text)) return 'disabled';
  const match = /^\s*([\d.]+)\s*([a-z]*)\s*$/i.exec(text.replace(/,/g, ''));
  const unit = match ? BYTE_UNITS[match[2]!.toLowerCase()] : undefined;
  const n = match && unit !== undefined ? Number(match[1]) * unit : NaN;
  if (!Number.isFinite(n)) throw new LaminaError(`${what} is "${text}"; write a size such as 20MB, 20MiB or 1048576, or disabled`, 'bad-threshold');
  return Math.floor(n);
}

/** The rules of a `.dive-ci` file's text; `file` names it in errors. */
export function parseDiveCi(text: string, file: string): CiRules {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new LaminaError(`${file} is not valid YAML (${(err as Error).message.split('\n')[0]})`, 'bad-ci-config', { cause: err });
  }
  if (doc === null || doc === undefined) return {};
  const rules = (doc as { rules?: unknown }).rules;
  if (typeof doc !== 'object' || (rules !== undefined && (typeof rules !== 'object' || rules === null || Array.isArray(rules)))) {
    throw new LaminaError(`${file} has no "rules:" map; write rules: with lowestEfficiency, highestWastedBytes or highestUserWastedPercent under it`, 'bad-ci-config');
  }
  const map = (rules ?? {}) as Record<string, unknown>;
  const at = (key: string): string => `${key} in ${file}`;
  return {
    ...('lowestEfficiency' in map ? { lowestEfficiency: parseRatioSetting(map['lowestEfficiency'], at('lowestEfficiency')) } : {}),
    ...('highestWastedBytes' in map ? { highestWastedBytes: parseBytesSetting(map['highestWastedBytes'], at('highestWastedBytes')) } : {}),
    ...('highestUserWastedPercent' in map ? { highestUserWastedPercent: parseRatioSetting(map['highestUserWastedPercent'], at('highestUserWastedPercent')) } : {}),
  };
}

/** dive's defaults, then each later set of rules over the earlier ones; disabled rules drop out. */
export function mergeRules(...layers: readonly CiRules[]): CiThresholds {
  const merged: Record<string, RuleSetting> = { ...DIVE_DEFAULT_RULES };
  for (const rules of layers) for (const [key, value] of Object.entries(rules)) if (value !== undefined) merged[key] = value;
  return Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== 'disabled')) as CiThresholds;
}
