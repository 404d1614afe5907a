import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { wastefulImage } from './fixtures/wasteful-image.js';
import { freshHome, runCli } from './run-cli.js';

describe('lamina inspect --files / --ci', () => {
  // CI=true (as CI runs) would turn the dive verdict on for every --files listing.
  const env = { LAMINA_HOME: freshHome(), CI: 'false' };
  const out = join(mkdtempSync(join(tmpdir(), 'lamina-inspect-')), 'image');

  beforeAll(async () => {
    const built = await runCli(['build', 'bash', '--source', inject('testbedDir'), '--out', `oci:${out}:bash`, '--json'], env);
    expect(built.code, built.stderr).toBe(0);
  });

  it('lists each layer\'s files and the store paths it holds, Nix-aware', async () => {
    const { code, stdout, stderr } = await runCli(['inspect', `oci:${out}:bash`, '--files', '--json'], env);
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout) as {
      layers: { storePaths: string[]; files: { children: unknown[] } }[];
      efficiency: { efficiency: number; wastedBytes: number };
      roots: string[];
    };
    expect(report.roots).toEqual([inject('testbedOutPaths').bash]);
    expect(report.layers.flatMap((l) => l.storePaths)).toContain(inject('testbedOutPaths').bash);
    expect(report.layers.every((l) => l.files.children.length > 0)).toBe(true);
    // Nix store paths never overlap between layers: nothing is wasted.
    expect(report.efficiency).toMatchObject({ efficiency: 1, wastedBytes: 0 });
  });

  it('marks a rewritten file as modified and fails --ci on the bytes it wastes', async () => {
    const image = wastefulImage();
    const listing = await runCli(['inspect', image, '--files', '--filter', 'big.bin'], env);
    expect(listing.code, listing.stderr).toBe(0);
    expect(listing.stdout).toMatch(/^\s+M\s+64\.0 KiB\s+\/data\/big\.bin$/m);

    const failing = await runCli(['inspect', image, '--ci', '--highest-wasted-bytes', '1000'], env);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toMatch(/^ci: FAIL: .*65536 bytes are wasted, more than the 1000 allowed/m);

    const passing = await runCli(['inspect', image, '--ci', '--highest-wasted-bytes', '64K', '--lowest-efficiency', '40%', '--highest-user-wasted-percent', 'disabled'], env);
    expect(passing.code, passing.stdout).toBe(0);
    expect(passing.stdout).toMatch(/ci: pass/);
  });

  it('refuses thresholds without --ci, in one line', async () => {
    const { code, stderr } = await runCli(['inspect', `oci:${out}:bash`, '--lowest-efficiency', '0.9'], env);
    expect(code).toBe(1);
    expect(stderr.trim()).toBe('lamina: --lowest-efficiency, --highest-wasted-bytes, --highest-user-wasted-percent and --ci-config go with --ci');
  });
});
