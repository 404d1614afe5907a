/**
 * The `--ci` verdict, as dive's CI mode gives it: an image passes when its
 * efficiency is at least the lowest allowed, its wasted bytes at most the most
 * allowed (both as defined in efficiency.ts), and its wasted bytes as a share of
 * the bytes added after the base (first) layer at most the most allowed, as dive's
 * highestUserWastedPercent. Each failed rule is one reason.
 */
import { LaminaError } from '../../../src-shared/errors.js';
import type { ImageReport } from '../../../src-shared/image-report.js';

export interface CiThresholds {
  /** From 0 to 1: 0.95 means at least 95% of the file bytes must be kept. */
  readonly lowestEfficiency?: number;
  readonly highestWastedBytes?: number;
  /** From 0 to 1: wasted bytes over the file bytes of every layer but the first. */
  readonly highestUserWastedPercent?: number;
}

export interface CiVerdict {
  readonly pass: boolean;
  readonly reasons: readonly string[];
  /** Wasted bytes over the file bytes of every layer but the first (0 when those layers hold none). */
  readonly userWastedPercent: number;
}

function checkFraction(value: number | undefined, what: string): void {
  if (value !== undefined && !(value >= 0 && value <= 1)) throw new LaminaError(`${what} ${value} is not a fraction from 0 to 1; write e.g. 0.95`, 'bad-threshold');
}

export function evaluateCi(report: ImageReport, thresholds: CiThresholds): CiVerdict {
  const { lowestEfficiency, highestWastedBytes, highestUserWastedPercent } = thresholds;
  checkFraction(lowestEfficiency, 'lowest efficiency');
  checkFraction(highestUserWastedPercent, 'highest user wasted percent');
  if (highestWastedBytes !== undefined && !(Number.isSafeInteger(highestWastedBytes) && highestWastedBytes >= 0)) {
    throw new LaminaError(`highest wasted bytes ${highestWastedBytes} is not a whole number of bytes`, 'bad-threshold');
  }
  const { efficiency, wastedBytes } = report.efficiency;
  const userBytes = report.layers.slice(1).reduce((sum, l) => sum + l.fileBytes, 0);
  const userWastedPercent = userBytes > 0 ? wastedBytes / userBytes : 0;
  const reasons: string[] = [];
  if (lowestEfficiency !== undefined && efficiency < lowestEfficiency) {
    reasons.push(`efficiency ${percent(efficiency)} is below the lowest allowed, ${percent(lowestEfficiency)}`);
  }
  if (highestWastedBytes !== undefined && wastedBytes > highestWastedBytes) {
    reasons.push(`${wastedBytes} bytes are wasted, more than the ${highestWastedBytes} allowed`);
  }
  if (highestUserWastedPercent !== undefined && userWastedPercent > highestUserWastedPercent) {
    reasons.push(`wasted bytes are ${percent(userWastedPercent)} of the bytes added after the base layer, more than the ${percent(highestUserWastedPercent)} allowed`);
  }
  return { pass: reasons.length === 0, reasons, userWastedPercent };
}

function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(2)}%`;
}
