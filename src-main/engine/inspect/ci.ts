/**
 * The `--ci` verdict, as dive's CI mode gives it: an image passes when its
 * efficiency is at least the lowest allowed and its wasted bytes at most the
 * most allowed (both as defined in efficiency.ts). Each failed rule is one reason.
 */
import { LaminaError } from '../errors.js';
import type { ImageReport } from './report.js';

export interface CiThresholds {
  /** From 0 to 1: 0.95 means at least 95% of the file bytes must be kept. */
  readonly lowestEfficiency?: number;
  readonly highestWastedBytes?: number;
}

export interface CiVerdict {
  readonly pass: boolean;
  readonly reasons: readonly string[];
}

export function evaluateCi(report: ImageReport, thresholds: CiThresholds): CiVerdict {
  const { lowestEfficiency, highestWastedBytes } = thresholds;
  if (lowestEfficiency !== undefined && !(lowestEfficiency >= 0 && lowestEfficiency <= 1)) {
    throw new LaminaError(`lowest efficiency ${lowestEfficiency} is not a fraction from 0 to 1; write e.g. 0.95`, 'bad-threshold');
  }
  if (highestWastedBytes !== undefined && !(Number.isSafeInteger(highestWastedBytes) && highestWastedBytes >= 0)) {
    throw new LaminaError(`highest wasted bytes ${highestWastedBytes} is not a whole number of bytes`, 'bad-threshold');
  }
  const { efficiency, wastedBytes } = report.efficiency;
  const reasons: string[] = [];
  if (lowestEfficiency !== undefined && efficiency < lowestEfficiency) {
    reasons.push(`efficiency ${percent(efficiency)} is below the lowest allowed, ${percent(lowestEfficiency)}`);
  }
  if (highestWastedBytes !== undefined && wastedBytes > highestWastedBytes) {
    reasons.push(`${wastedBytes} bytes are wasted, more than the ${highestWastedBytes} allowed`);
  }
  return { pass: reasons.length === 0, reasons };
}

function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(2)}%`;
}
