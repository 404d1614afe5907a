import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { isLaminaError } from '../../src-shared/errors.js';
import { writeStorePathsLayer } from '../../src-main/engine/tarball/index.js';
import { tempDir } from './helpers.js';

const paths = Object.values(inject('testbedOutPaths'));
const dir = tempDir('errors');

async function failure(promise: Promise<unknown>): Promise<{ message: string; code: string }> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isLaminaError(err)) throw new Error(`expected a LaminaError, got ${String(err)}`);
  return { message: err.message, code: err.code };
}

describe('layer writing, when it cannot', () => {
  it('says what a store path is when given something else', async () => {
    const { message } = await failure(writeStorePathsLayer(['/usr/bin'], 'gzip', join(dir, 'a')));
    expect(message).toBe('not a store path: /usr/bin; pass paths like /nix/store/<hash>-<name>');
  });

  it('says to build a store path that is not there', async () => {
    const missing = '/nix/store/00000000000000000000000000000000-missing';
    const { message } = await failure(writeStorePathsLayer([missing], 'zstd', join(dir, 'b')));
    expect(message).toBe(`cannot read ${missing} (ENOENT); build or realise it first (nix-build, nix-store -r)`);
  });

  it('says where it could not write', async () => {
    const dest = join(dir, 'no-such-folder', 'layer');
    const { message } = await failure(writeStorePathsLayer(paths, 'gzip', dest));
    expect(message).toBe(`cannot write layer to ${dest} (ENOENT); check free space and permissions there`);
  });

  it('stops when cancelled, before or during the write', async () => {
    expect(await failure(writeStorePathsLayer(paths, 'gzip', join(dir, 'c'), { signal: AbortSignal.abort() }))).toEqual({
      message: 'layer write cancelled',
      code: 'cancelled',
    });
    const controller = new AbortController();
    const progress: number[] = [];
    const during = writeStorePathsLayer(paths, 'gzip', join(dir, 'd'), {
      signal: controller.signal,
      onProgress: (bytes) => {
        progress.push(bytes);
        controller.abort();
      },
    });
    expect((await failure(during)).code).toBe('cancelled');
    expect(progress.length).toBeGreaterThan(0);
  });
});
