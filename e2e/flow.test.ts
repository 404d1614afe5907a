/**
 * The whole flow a person does in the browser, on the real engine: Compose (load
 * the test package set's index, search, add packages, set the config, save the
 * recipe), Plan (graph, strategies, why-depends), Build (layers with cache
 * badges, the log) and Push to Debian's docker-registry, whose manifest skopeo
 * then reads back with the digest the page showed. Screenshots of every view,
 * light and dark, go to test-results/.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { STRATEGY_NAMES } from '../src-shared/strategies.js';
import { runCli } from '../test/cli/run-cli.js';
import { startRegistry, type RunningRegistry } from '../test/registry/servers/registry-server.js';
import { openBrowser, SHOTS, startServe, type BrowserSession, type ServeProcess } from './serve-session.js';

function skopeoDigest(ref: string): string {
  const out = execFileSync('skopeo', ['inspect', '--tls-verify=false', `docker://${ref}`], { encoding: 'utf8' });
  return (JSON.parse(out) as { Digest: string }).Digest;
}

async function shoot(page: Page, name: string): Promise<void> {
  // Tall enough that each view fits whole: the content pane scrolls, so a full-page shot would not show more.
  await page.setViewportSize({ width: 1280, height: 1300 });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.screenshot({ path: join(SHOTS, `flow-${name}-light.png`), fullPage: true });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: join(SHOTS, `flow-${name}-dark.png`), fullPage: true });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 800 });
}

describe('compose -> plan -> build -> push in the browser', () => {
  let registry: RunningRegistry;
  let serve: ServeProcess;
  let browser: BrowserSession;
  let page: Page;
  const home = mkdtempSync(join(tmpdir(), 'lamina-e2e-flow-'));

  beforeAll(async () => {
    registry = await startRegistry();
    // An image the CLI built earlier: Push lists the store's images newest first, not by name.
    const cli = await runCli(['build', '-s', inject('testbedDir'), '-t', 'a-sed', 'sed'], { LAMINA_HOME: home });
    expect(cli.code, cli.stderr).toBe(0);
    serve = await startServe(home);
    browser = await openBrowser();
    page = browser.page;
  });

  afterAll(async () => {
    await browser?.context.close();
    await serve?.stop();
    await registry?.stop();
  });

  const nav = (label: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: label, exact: true });

  it('composes: loads the package index, finds and adds packages, shows the closure size, saves the recipe', async () => {
    await page.goto(serve.url);
    await expect.poll(() => page.locator('.engine-status').textContent()).toContain('Engine ready');
    await nav('Compose').click();
    const search = page.getByLabel('Search packages');
    expect(await search.isDisabled()).toBe(true);
    await page.getByLabel('Package source').fill(inject('testbedDir'));
    await page.getByRole('button', { name: 'Load packages' }).click();
    const packages = Object.keys(inject('testbedOutPaths')).length;
    await expect.poll(() => page.getByTestId('index-status').textContent(), { timeout: 60_000 }).toBe(`${packages} packages indexed from ${inject('testbedDir')}`);

    // Keyboard: type, Enter adds the best match.
    await search.fill('bash');
    await expect.poll(() => page.getByRole('option').first().textContent()).toContain('bash');
    await search.press('Enter');
    await search.fill('gzi');
    await page.getByRole('button', { name: 'Add gzip' }).click();
    await expect.poll(() => page.getByTestId('closure-size').textContent(), { timeout: 60_000 }).toMatch(/^Closure: \d+ store paths, [\d.]+ (KiB|MiB)$/);
    expect(await page.getByRole('button', { name: /^Remove / }).allTextContents()).toHaveLength(2);

    await page.getByLabel('Command').fill('bash -c "echo hello"');
    await page.getByLabel('Ports').fill('80x');
    expect(await page.locator('.image-config [role=alert]').textContent()).toBe('“80x” is not a port: write a number with an optional /tcp or /udp, e.g. 8080/tcp');
    await page.getByLabel('Ports').fill('8080');
    await page.getByLabel('Environment (one NAME=value a line)').fill('LANG=C.UTF-8');
    await page.getByLabel('Recipe name').fill('flow');
    await page.getByRole('button', { name: 'Save recipe' }).click();
    await expect.poll(() => page.getByRole('list', { name: 'Saved recipes' }).textContent()).toContain('flow');
    await search.fill('');
    await shoot(page, 'compose');
  });

  it('plans: draws the graph coloured by layer, compares strategies and says why a path is in', async () => {
    await nav('Plan').click();
    await expect.poll(() => page.getByTestId('plan-summary').textContent(), { timeout: 60_000 }).toMatch(/^\d+ layers for \d+ store paths/);
    expect(await page.locator('.strategy-table tbody tr').count()).toBe(STRATEGY_NAMES.length);
    const nodes = page.locator('.graph-node');
    await expect.poll(() => nodes.count()).toBeGreaterThan(2);
    await page.locator('.graph-node', { hasText: /^libc6/ }).first().dispatchEvent('click');
    await expect.poll(() => page.getByTestId('why-depends').textContent()).toMatch(/pulled in by 2 top-level packages/);
    expect(await page.locator('.why-chains li').allTextContents()).toEqual([expect.stringMatching(/^bash-.* → .*libc6/), expect.stringMatching(/^gzip-.* → .*libc6/)]);
    await shoot(page, 'plan');

    await page.getByRole('button', { name: 'Use single' }).click();
    await expect.poll(() => page.getByTestId('plan-summary').textContent()).toMatch(/^2 layers for/);
    await page.getByRole('button', { name: 'Use nixery', exact: true }).click();
    await expect.poll(() => page.locator('.strategy-table tr[aria-current=true] th').textContent()).toBe('nixery');
  });

  let builtDigest = '';

  it('builds: layers get cache badges, the log is searchable, the image is in the store', async () => {
    await nav('Build').click();
    await page.getByRole('button', { name: 'Build image' }).click();
    await expect.poll(() => page.locator('.flow-job .badge').textContent(), { timeout: 90_000 }).toBe('Succeeded');
    const built = page.getByTestId('built-image');
    expect(await built.textContent()).toMatch(/^Image bash-gzip sha256:[0-9a-f]{64}/);
    builtDigest = (await built.locator('code').textContent())!;
    const badges = await page.locator('.layer-rows .badge').allTextContents();
    expect(badges.length).toBeGreaterThan(1);
    expect(badges.every((b) => b === 'cache hit' || b === 'cache miss')).toBe(true);
    // Layers are numbered from 1, as in Images.
    expect(await page.locator('.layer-rows .layer-index').allTextContents()).toEqual(badges.map((_, i) => String(i + 1)));
    // The log says once per layer whether it was written (a miss) or came from the cache.
    await page.getByLabel('Search the log').fill('written');
    await expect.poll(() => page.getByRole('log', { name: 'Build log' }).locator('.log-line').count()).toBe(badges.filter((b) => b === 'cache miss').length);
    // Layers are written a few at a time: the log says when each is done, numbered as the table is.
    await page.getByLabel('Search the log').fill('Layer');
    const layerLines = page.getByRole('log', { name: 'Build log' }).locator('.log-text', { hasText: /^Layer \d+\/\d+: / });
    await expect.poll(() => layerLines.count()).toBe(badges.length);
    const numbers = (await layerLines.allTextContents()).map((text) => text.split(':')[0]!.replace('Layer ', ''));
    expect(numbers.sort((a, b) => parseInt(a) - parseInt(b))).toEqual(badges.map((_, i) => `${i + 1}/${badges.length}`));
    await page.getByLabel('Search the log').fill('');
    await shoot(page, 'build');

    // The same recipe again: every layer now comes from the cache.
    await page.getByRole('button', { name: 'Build again' }).click();
    await expect.poll(() => page.locator('.flow-job .badge').textContent(), { timeout: 90_000 }).toBe('Succeeded');
    await expect.poll(async () => new Set(await page.locator('.layer-rows .badge').allTextContents()), { timeout: 30_000 }).toEqual(new Set(['cache hit']));
    expect(await page.getByTestId('built-image').locator('code').textContent()).toBe(builtDigest);
  });

  it('plans again: the layers just built count as shared with the user\'s images', async () => {
    await nav('Plan').click();
    await expect.poll(() => page.locator('.strategy-table tr[aria-current=true] td').nth(2).textContent(), { timeout: 30_000 }).not.toBe('0 B');
    expect(await page.locator('.layer-legend .badge').allTextContents()).toEqual(expect.arrayContaining(['reused']));
  });

  it('pushes in one click with a bar per blob, and skopeo sees the digest the page shows', async () => {
    await nav('Push').click();
    // The store's images, newest first, with the last build picked.
    const images = page.getByLabel('Image').locator('option');
    await expect.poll(() => images.evaluateAll((options) => options.map((o) => (o as unknown as { value: string }).value))).toEqual(['bash-gzip', 'a-sed']);
    await expect.poll(() => page.getByLabel('Image').inputValue()).toBe('bash-gzip');
    await page.getByLabel('Target reference').fill(`${registry.host}/flow/app:1.0`);
    await expect.poll(() => page.getByTestId('credentials-hint').textContent()).toBe(
      `No login saved in Settings for ${registry.host}: a login docker, podman or skopeo keep for it is used if there is one, else the push is anonymous.`,
    );
    await page.getByLabel('Credentials').selectOption('anonymous');
    await expect.poll(() => page.getByTestId('credentials-hint').textContent()).toBe(`Pushes to ${registry.host} anonymously: no login is sent.`);
    await page.getByLabel('Verify TLS certificates').uncheck();
    await page.getByRole('button', { name: 'Push image' }).click();
    await expect.poll(() => page.locator('.flow-job .badge').textContent(), { timeout: 60_000 }).toBe('Succeeded');
    const digest = (await page.getByTestId('pushed-digest').textContent())!;
    expect(digest).toBe(builtDigest);
    expect(skopeoDigest(`${registry.host}/flow/app:1.0`)).toBe(digest);
    const states = await page.locator('.blob-state').allTextContents();
    expect(states.length).toBeGreaterThan(2);
    expect(new Set(states)).toEqual(new Set(['uploaded']));
    await shoot(page, 'push');

    // Another repository of the same registry: the blobs are mounted, not sent again.
    await page.getByLabel('Target reference').fill(`${registry.host}/flow/copy:1.0`);
    await page.getByRole('button', { name: 'Push image' }).click();
    await expect.poll(() => page.locator('.flow-job .badge').textContent(), { timeout: 60_000 }).toBe('Succeeded');
    await expect.poll(async () => new Set(await page.locator('.blob-state').allTextContents())).toEqual(new Set(['mounted']));
    expect(skopeoDigest(`${registry.host}/flow/copy:1.0`)).toBe(digest);
    await page.screenshot({ path: join(SHOTS, 'flow-push-mounted-light.png'), fullPage: true });
  });

  it('says what is wrong where it happened: a bad target', async () => {
    await page.getByLabel('Target reference').fill('Not A Reference');
    await page.getByRole('button', { name: 'Push image' }).click();
    await expect.poll(() => page.locator('.flow-job .badge').textContent(), { timeout: 30_000 }).toBe('Failed');
    expect(await page.locator('.flow-job [role=alert]').textContent()).toMatch(/Not A Reference|reference/i);
  });

  let securedTarget = '';

  it('pushes with the credentials set up in Settings, and says what to do without them', async () => {
    const secured = await startRegistry({ kind: 'htpasswd', users: { flow: 's3cret' } });
    try {
      const target = (securedTarget = `${secured.host}/flow/private:1.0`);
      await page.getByLabel('Target reference').fill(target);
      await page.getByLabel('Credentials').selectOption('auto');
      await expect.poll(() => page.getByTestId('credentials-hint').textContent()).toBe(
        `No login saved in Settings for ${secured.host}: a login docker, podman or skopeo keep for it is used if there is one, else the push is anonymous.`,
      );
      await page.getByRole('button', { name: 'Push image' }).click();
      // The last push (to a bad target) failed too: wait for this push's own error, not just a Failed badge.
      // No login was sent: the line says the registry needs one and where to give it.
      await expect.poll(() => page.locator('.flow-job [role=alert]').textContent(), { timeout: 30_000 }).toBe(
        `${secured.host} needs a login: pass --creds USER:PASS, run docker login / skopeo login, or add the registry in Lamina's Settings`,
      );
      expect(await page.locator('.flow-job .badge').textContent()).toBe('Failed');

      await nav('Settings').click();
      await page.getByLabel('Registry host').fill(secured.host);
      await page.getByLabel('User name').fill('flow');
      await page.getByLabel('Password or token').fill('s3cret');
      await page.getByLabel('Keep the secret in').selectOption('session');
      await page.getByLabel('Verify TLS certificates').uncheck();
      await page.getByRole('button', { name: 'Save registry' }).click();
      await expect.poll(() => page.getByRole('table', { name: 'Registries' }).textContent()).toContain(secured.host);

      await nav('Push').click();
      expect(await page.getByLabel('Target reference').inputValue()).toBe(target);
      // The Push view asks the engine for the registries when it opens: wait for the answer.
      await expect.poll(() => page.getByTestId('credentials-hint').textContent()).toBe(`Pushes to ${secured.host} as flow, the login saved in Settings.`);
      expect(await page.getByLabel('Credentials').locator('option:checked').textContent()).toBe('flow (saved in Settings)');
      // Destinations offered: those pushed to before, then the registries saved in Settings.
      expect(await page.locator('datalist option').evaluateAll((options) => options.map((o) => (o as unknown as { value: string }).value))).toEqual([
        `${registry.host}/flow/copy:1.0`,
        `${registry.host}/flow/app:1.0`,
        `${secured.host}/`,
      ]);
      // Settings said not to verify TLS for this registry, so the box is unticked without a click.
      await expect.poll(() => page.getByLabel('Verify TLS certificates').isChecked()).toBe(false);
      await page.getByRole('button', { name: 'Push image' }).click();
      await expect.poll(() => page.locator('.flow-job .badge').textContent(), { timeout: 60_000 }).toBe('Succeeded');
      const digest = await page.getByTestId('pushed-digest').textContent();
      const out = execFileSync('skopeo', ['inspect', '--tls-verify=false', '--creds', 'flow:s3cret', `docker://${target}`], { encoding: 'utf8' });
      expect((JSON.parse(out) as { Digest: string }).Digest).toBe(digest);
    } finally {
      await secured.stop();
    }
  });

  it('reopens the saved recipe after a reload', async () => {
    await page.reload();
    await nav('Compose').click();
    await page.getByRole('button', { name: 'Open flow' }).click();
    await expect.poll(() => page.getByRole('button', { name: /^Remove / }).count()).toBe(2);
    expect(await page.getByLabel('Command').inputValue()).toBe('bash -c "echo hello"');
    expect(await page.getByLabel('Package source').inputValue()).toBe(inject('testbedDir'));
  });

  it('after a reload, Push picks the last build, the last destination and its saved login again', async () => {
    await nav('Push').click();
    await expect.poll(() => page.getByLabel('Image').inputValue()).toBe('bash-gzip');
    await expect.poll(() => page.getByLabel('Target reference').inputValue()).toBe(securedTarget);
    await expect.poll(() => page.getByTestId('credentials-hint').textContent()).toBe(`Pushes to ${securedTarget.split('/')[0]} as flow, the login saved in Settings.`);
    await shoot(page, 'push-reloaded');
  });

  it('ran without console errors, CSP violations or failed requests', () => {
    expect(browser.problems).toEqual([]);
  });
});
