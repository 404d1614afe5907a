/**
 * An entrypoint or command the image does not hold is refused before any layer
 * is written, naming it; one that resolves through the customisation layer's
 * links, a relative symlink in the store or the image's PATH builds; and
 * --allow-missing-entrypoint builds a base image anyway. Real Nix builds of the
 * test bed, through the built CLI.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { freshHome, runCli } from './run-cli.js';

function blobs(home: string): string[] {
  const dir = join(home, 'blobs', 'sha256');
  return existsSync(dir) ? readdirSync(dir) : [];
}

describe('lamina build checks the entrypoint against the image', () => {
  const source = inject('testbedDir');

  it('refuses an entrypoint that is not in the image, naming it, and writes nothing', async () => {
    const home = freshHome();
    const result = await runCli(['build', 'bash', '-s', source, '--entrypoint', '/usr/bin/gzip'], { LAMINA_HOME: home });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n').at(-1)).toBe(
      `lamina: the image's entrypoint "/usr/bin/gzip" is not an executable file in the image: add the package that provides it, fix the entrypoint, or allow a missing entrypoint for an image meant as a base (--allow-missing-entrypoint)`,
    );
    expect(blobs(home)).toEqual([]);
    const images = await runCli(['images', '--json'], { LAMINA_HOME: home });
    expect(JSON.parse(images.stdout)).toEqual([]);
  });

  it('looks a bare command up in the PATH and says where it looked', async () => {
    const home = freshHome();
    const result = await runCli(['build', 'bash', '-s', source, '--cmd', 'gzip', '--cmd', '-h'], { LAMINA_HOME: home });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`lamina: the image's command "gzip" is not an executable file in the image (looked in /bin:/usr/bin:/sbin:/usr/sbin)`);
    expect(blobs(home)).toEqual([]);
  });

  it('builds when the program resolves: a root link, a relative store symlink, a PATH lookup', async () => {
    const home = freshHome();
    for (const flags of [['--entrypoint', '/bin/gzip'], ['--entrypoint', '/bin/rbash'], ['--cmd', 'gzip'], ['--env', 'PATH=/nothing:/bin', '--cmd', 'bash']]) {
      const result = await runCli(['build', 'bash', 'gzip', '-s', source, '--json', ...flags], { LAMINA_HOME: home });
      expect(result.code, `${flags.join(' ')}: ${result.stderr}`).toBe(0);
    }
  });

  it('builds a base image without an entrypoint of its own when asked', async () => {
    const home = freshHome();
    const result = await runCli(['build', 'bash', '-s', source, '--entrypoint', '/usr/bin/gzip', '--allow-missing-entrypoint', '--json'], { LAMINA_HOME: home });
    expect(result.code, result.stderr).toBe(0);
    expect(blobs(home).length).toBeGreaterThan(2);
  });
});
