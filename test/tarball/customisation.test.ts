import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { planCustomisation, writeCustomisationLayer } from '../../src-main/engine/tarball/index.js';
import { addToStore, shell, tempDir } from './helpers.js';

const outPaths = inject('testbedOutPaths');
const roots = inject('testbedRoots').map((attr) => outPaths[attr]!);
const dir = tempDir('custom');

/** A store path holding the given files (relative path -> content). */
function storePathWith(name: string, files: Record<string, string>): string {
  const root = join(dir, 'src', name);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return addToStore(root);
}

describe('customisation layer', () => {
  const extracted = join(dir, 'root');
  let first: Awaited<ReturnType<typeof writeCustomisationLayer>>;

  beforeAll(async () => {
    first = await writeCustomisationLayer(roots, 'gzip', join(dir, 'custom.tar.gz'));
    mkdirSync(extracted);
    shell(`tar -xzf '${join(dir, 'custom.tar.gz')}' -C '${extracted}'`);
  });

  it('is the same blob every time', async () => {
    const again = await writeCustomisationLayer(roots, 'gzip', join(dir, 'again.tar.gz'));
    expect(again).toEqual(first);
    expect(readFileSync(join(dir, 'again.tar.gz')).equals(readFileSync(join(dir, 'custom.tar.gz')))).toBe(true);
  });

  it('links the roots into the image root, every link an absolute path that resolves into the store', () => {
    const links = shell(`cd '${extracted}' && find . -type l`).split('\n');
    expect(links.length).toBeGreaterThan(20);
    for (const link of links) {
      const target = readlinkSync(join(extracted, link));
      expect(target.startsWith('/nix/store/')).toBe(true);
      expect(existsSync(target)).toBe(true);
    }
    for (const [tool, attr] of [['bash', 'bash'], ['grep', 'grep'], ['sed', 'sed'], ['gzip', 'gzip']] as const) {
      expect(realpathSync(readlinkSync(join(extracted, 'bin', tool)))).toBe(realpathSync(`${outPaths[attr]}/bin/${tool}`));
    }
    // Several roots have bin/, so it is a real directory; only nix-support is left out.
    expect(lstatSync(join(extracted, 'bin')).isDirectory()).toBe(true);
    expect(existsSync(join(extracted, 'nix-support'))).toBe(false);
  });

  it('makes /tmp a world-writable sticky directory', () => {
    expect((lstatSync(join(extracted, 'tmp')).mode & 0o7777).toString(8)).toBe('1777');
    expect(shell(`tar -tvzf '${join(dir, 'custom.tar.gz')}' tmp/`)).toMatch(/^drwxrwxrwt 0\/0 /);
  });

  it('merges directories several roots share and reports files they both provide, the first root winning', async () => {
    const a = storePathWith('lamina-test-a', { 'bin/tool': 'a', 'bin/only-a': 'a', 'share/doc/a/README': 'a' });
    const b = storePathWith('lamina-test-b', { 'bin/tool': 'b', 'bin/only-b': 'b', 'lib/libb.so': 'b', 'share/doc/a': 'not a dir' });
    const plan = await planCustomisation([a, b]);
    const links = Object.fromEntries(plan.entries.flatMap((e) => (e.kind === 'symlink' ? [[e.name, e.target]] : [])));
    expect(plan.entries.filter((e) => e.kind === 'directory').map((e) => e.name)).toEqual(['bin', 'share', 'share/doc', 'tmp']);
    expect(links).toEqual({
      'bin/only-a': `${a}/bin/only-a`,
      'bin/only-b': `${b}/bin/only-b`,
      'bin/tool': `${a}/bin/tool`,
      lib: `${b}/lib`,
      'share/doc/a': `${a}/share/doc/a`,
    });
    expect(plan.conflicts).toEqual([
      { path: '/bin/tool', kept: a, ignored: [b] },
      { path: '/share/doc/a', kept: a, ignored: [b] },
    ]);
    const reversed = await planCustomisation([b, a]);
    expect(reversed.conflicts).toEqual([
      { path: '/bin/tool', kept: b, ignored: [a] },
      { path: '/share/doc/a', kept: b, ignored: [a] },
    ]);
    const written = await writeCustomisationLayer([a, b], 'none', join(dir, 'conflict.tar'));
    expect(written.conflicts).toEqual(plan.conflicts);
  });

  it('refuses a root that is not a store path, saying what one looks like', async () => {
    await expect(planCustomisation(['/usr'])).rejects.toThrow(/^not a store path: \/usr; pass paths like \/nix\/store\/<hash>-<name>$/);
  });
});
