/**
 * Layers are counted from 1 everywhere a person reads them (as dive and `docker history`
 * users count, and as the engine names treemap boxes); the engine's indexes stay 0-based.
 */
export function layerNumber(index: number): number {
  return index + 1;
}

export function layerLabel(index: number): string {
  return `Layer ${layerNumber(index)}`;
}

/** A set of layers, e.g. "1, 3". */
export function layerNumbers(indexes: readonly number[]): string {
  return indexes.map(layerNumber).join(', ');
}
