/**
 * Sizes as people write them on the command line (`--max-size`,
 * `--highest-wasted-bytes`). Its own file, free of the engine, because flag
 * definitions use it: they load when `lamina CMD --help` does.
 */
import bytes from 'bytes';
import { InvalidArgumentError } from 'commander';

/** `500M`, `2G`, `1.5GB`, `800k`, `1024`: binary units (1M = 1024 KiB), as `du -h` reads them. */
export function parseSize(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmgtp]?)(?:i?b)?\s*$/i.exec(text);
  const size = match ? bytes.parse(`${match[1]}${match[2] ? `${match[2]}b` : 'b'}`) : null;
  if (size === null || !Number.isFinite(size)) throw new InvalidArgumentError(`"${text}" is not a size; write it like 500M, 2G or 1048576`);
  return Math.floor(size);
}
