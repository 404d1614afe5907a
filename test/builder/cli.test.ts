/** The `lamina build`, `images` and `cache` commands as a script or a person uses them (run from source). */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { cliArgv } from '../cli/run-cli.js';
import { tempDir } from './helpers.js';

const source = inject('testbedDir');
const repo = join(import.meta.dirname, '..', '..');
const home = tempDir('cli-home');

function lamina(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, cliArgv(args), {
    cwd: repo,
    env: { ...process.env, LAMINA_HOME: home },
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('lamina CLI', () => {
  it('build --json prints exactly the documented shape, and a rebuild reports every layer cached', () => {
    const args = ['build', 'bash', 'sed', '--source', source, '--max-layers', '3', '--tag', 'tools', '--json'];
    const first = lamina(...args);
    expect(first.code, first.stderr).toBe(0);
    const result = JSON.parse(first.stdout) as { manifestDigest: string; configDigest: string; layers: Record<string, unknown>[] };
    expect(Object.keys(result)).toEqual(['manifestDigest', 'configDigest', 'layers', 'conflicts']);
    expect(result.manifestDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(result.layers.length).toBeLessThanOrEqual(3);
    for (const layer of result.layers) {
      expect(Object.keys(layer)).toEqual(['digest', 'diffId', 'size', 'key', 'planKey', 'cached', 'source', 'paths']);
      expect(layer.cached).toBe(false);
      expect(layer.source).toBe('built');
    }
    const again = JSON.parse(lamina(...args).stdout) as typeof result;
    expect(again.manifestDigest).toBe(result.manifestDigest);
    expect(again.layers.every((l) => l.cached === true && l.source === 'local')).toBe(true);
  });

  it('lists images and cached layers with their hits', () => {
    const images = JSON.parse(lamina('images', '--json').stdout) as { name: string; layers: number }[];
    expect(images.map((i) => i.name)).toEqual(['tools']);
    const table = lamina('images').stdout;
    expect(table).toMatch(/^NAME\s+MANIFEST\s+LAYERS\s+SIZE\s+BUILT\ntools\s/);
    const cache = JSON.parse(lamina('cache', 'ls', '--json').stdout) as { layers: { hits: number; images: number }[] };
    expect(cache.layers.length).toBe(images[0]!.layers);
    expect(cache.layers.every((l) => l.hits === 1 && l.images === 1)).toBe(true);
  });

  it('cache verify reports a damaged blob and exits 1; the next build writes it again', () => {
    const layers = (JSON.parse(lamina('cache', 'ls', '--json').stdout) as { layers: { digest: string }[] }).layers;
    const victim = layers[0]!.digest;
    writeFileSync(join(home, 'blobs', 'sha256', victim.slice('sha256:'.length)), 'garbage');
    const verify = lamina('cache', 'verify');
    expect(verify.code).toBe(1);
    expect(verify.stdout).toContain(`damaged: ${victim}`);
    expect(verify.stdout).toContain('removed image(s) tools');
    const rebuilt = JSON.parse(lamina('build', 'bash', 'sed', '--source', source, '--max-layers', '3', '--tag', 'tools', '--json').stdout) as {
      layers: { digest: string; cached: boolean }[];
    };
    expect(rebuilt.layers.filter((l) => !l.cached).map((l) => l.digest)).toEqual([victim]);
    expect(lamina('cache', 'verify').code).toBe(0);
  });

  it('cache gc --max-size shrinks the store to the budget', () => {
    const gc = JSON.parse(lamina('cache', 'gc', '--max-size', '1K', '--json').stdout) as { sizeAfter: number; removedImages: string[] };
    expect(gc.sizeAfter).toBeLessThanOrEqual(1024);
    expect(gc.removedImages).toEqual(['tools']);
    expect(JSON.parse(lamina('images', '--json').stdout)).toEqual([]);
  });

  it('answers bad flags and bad input with one line and a non-zero exit', () => {
    const cases: [string[], RegExp][] = [
      [['build', 'bash', '--source', source, '--compression', 'lz4'], /--compression.*lz4.*gzip, zstd, none/],
      [['build', 'bash', '--source', source, '--max-layers', 'many'], /max layers is a whole number/],
      [['build', 'bash', '--source', source, '--out', 'docker://x/y'], /not an image location/],
      [['build', 'bash', '--source', source, '--port', '70000'], /exposed port "70000"/],
      [['build', 'bash', '--source', join(home, 'no-such-dir')], /no-such-dir/],
      [['cache', 'gc', '--max-size', 'lots'], /"lots" is not a size/],
      [['build', 'bash', '--source', source, '--tag', 'bad name'], /"bad name" cannot name an image/],
    ];
    for (const [args, pattern] of cases) {
      const result = lamina(...args);
      expect(result.code, args.join(' ')).not.toBe(0);
      const first = result.stderr.split('\n')[0]!;
      expect(first, args.join(' ')).toMatch(/^lamina: /);
      expect(first, args.join(' ')).toMatch(pattern);
      expect(result.stderr, args.join(' ')).not.toMatch(/\n\s+at /);
    }
  });
});
