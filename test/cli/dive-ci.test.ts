/**
 * dive's CI conventions on a real umoci image that wastes 64 KiB (a base layer's
 * file rewritten by the next layer): CI=true turns the verdict on for --files,
 * a .dive-ci in the working directory or --ci-config sets the rules, dive's
 * defaults apply otherwise, and a failure exits 1 as dive does.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { wastefulImage } from './fixtures/wasteful-image.js';
import { freshHome, runCli } from './run-cli.js';

describe('dive CI conventions', () => {
  const home = freshHome();
  let image: string;
  beforeAll(() => {
    image = wastefulImage();
  });

  function projectDir(diveCi?: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'lamina-project-'));
    if (diveCi !== undefined) writeFileSync(join(dir, '.dive-ci'), diveCi);
    return dir;
  }

  it('with CI=true, --files gives a verdict by dive\'s defaults (efficiency 0.9, user wasted 0.1) and exits 1 on failure', async () => {
    const result = await runCli(['inspect', image, '--files'], { LAMINA_HOME: home, CI: 'true' }, projectDir());
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^ci: FAIL: efficiency 50\.00% is below the lowest allowed, 90\.00%; wasted bytes are 100\.00% of the bytes added after the base layer, more than the 10\.00% allowed$/m);
  });

  it('leaves the listing alone without CI=true, and plain inspect alone even with it', async () => {
    const listing = await runCli(['inspect', image, '--files'], { LAMINA_HOME: home, CI: '' }, projectDir());
    expect(listing.code, listing.stderr).toBe(0);
    expect(listing.stdout).not.toMatch(/^ci:/m);
    const plain = await runCli(['inspect', image], { LAMINA_HOME: home, CI: 'true' }, projectDir());
    expect(plain.code, plain.stderr).toBe(0);
  });

  it('reads the rules: map of ./.dive-ci, with byte sizes as dive reads them', async () => {
    const passing = `rules:\n  lowestEfficiency: 0.4\n  highestWastedBytes: 70KB\n  highestUserWastedPercent: disabled\n`;
    const pass = await runCli(['inspect', image, '--files', '--json'], { LAMINA_HOME: home, CI: 'true' }, projectDir(passing));
    expect(pass.code, pass.stderr).toBe(0);
    expect((JSON.parse(pass.stdout) as { ci: { pass: boolean } }).ci.pass).toBe(true);
    // 60KB is 60,000 bytes to dive (go-humanize), less than the 65,536 wasted.
    const tight = await runCli(['inspect', image, '--ci'], { LAMINA_HOME: home }, projectDir(passing.replace('70KB', '60KB')));
    expect(tight.code).toBe(1);
    expect(tight.stderr).toBe('lamina: CI rules from .dive-ci\n');
    expect(tight.stdout).toMatch(/^ci: FAIL: 65536 bytes are wasted, more than the 60000 allowed$/m);
  });

  it('takes --ci-config FILE, with flags over the file', async () => {
    const file = join(projectDir(), 'rules.yaml');
    writeFileSync(file, 'rules:\n  lowestEfficiency: 0.99\n  highestUserWastedPercent: off\n');
    const fails = await runCli(['inspect', image, '--ci', '--ci-config', file], { LAMINA_HOME: home }, projectDir());
    expect(fails.code).toBe(1);
    expect(fails.stdout).toMatch(/^ci: FAIL: efficiency 50\.00% is below the lowest allowed, 99\.00%$/m);
    const overridden = await runCli(['inspect', image, '--ci', '--ci-config', file, '--lowest-efficiency', '45%'], { LAMINA_HOME: home }, projectDir());
    expect(overridden.code, overridden.stdout).toBe(0);
  });

  it('says in one line what is wrong with a rules file', async () => {
    const bad = await runCli(['inspect', image, '--ci'], { LAMINA_HOME: home }, projectDir('rules:\n  lowestEfficiency: 2\n'));
    expect(bad).toMatchObject({ code: 1, stderr: 'lamina: lowestEfficiency in .dive-ci is "2"; write a ratio from 0 to 1 (e.g. 0.9) or disabled\n' });
    const missing = await runCli(['inspect', image, '--ci', '--ci-config', '/nonexistent/rules.yaml'], { LAMINA_HOME: home });
    expect(missing).toMatchObject({ code: 1, stderr: 'lamina: cannot read the CI rules file /nonexistent/rules.yaml (ENOENT); check --ci-config\n' });
    const notYaml = await runCli(['inspect', image, '--ci'], { LAMINA_HOME: home }, projectDir('rules: [1, 2'));
    expect(notYaml.stderr).toMatch(/^lamina: \.dive-ci is not valid YAML \(.+\)\n$/);
  });
});
