/**
 * Cache and Settings in Chromium against `lamina serve` on a fresh data dir:
 * real image builds of the test package set feed the hit-rate plot, gc is
 * previewed and then run, and a registry's secret stays out of the data dir and
 * is gone after a restart when only the session could keep it.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectEngine, type EngineClient } from './engine-client.js';
import { openBrowser, SHOTS, startServe, type ServeProcess } from './serve-session.js';

/** Every file under a folder, to look for a secret in any of them. */
function allBytes(dir: string): Buffer {
  return Buffer.concat(
    readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .map((name) => join(dir, name))
      .filter((file) => statSync(file).isFile())
      .map((file) => readFileSync(file)),
  );
}

describe('Cache and Settings views', () => {
  const home = mkdtempSync(join(tmpdir(), 'lamina-e2e-cache-'));
  let serve: ServeProcess;
  let engine: EngineClient;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    serve = await startServe(home);
    engine = connectEngine(serve.url);
    ({ context, page, problems } = await openBrowser());
  });

  afterAll(async () => {
    engine?.close();
    await context?.close();
    await serve?.stop();
  });

  it('plots the cache hit rate of real image builds and shows the cache size', async () => {
    const source = inject('testbedDir');
    const build = async (attrs: string[]): Promise<void> => {
      const job = await engine.finished(await engine.api.request('jobs:start', { kind: 'image-build', input: { source, attrs } }));
      expect(job.state).toBe('succeeded');
    };
    const nav = page.getByRole('navigation', { name: 'Main' });
    const chart = page.getByRole('img', { name: /Cache hit rate per build/ });

    // The first build writes every layer: one build at 0%, which still shows as a point on the 0% line.
    await build(['bash', 'gzip']);
    await page.goto(serve.url);
    await nav.getByRole('button', { name: 'Cache' }).click();
    await expect.poll(() => page.getByTestId('cache-images').textContent()).toBe('1');
    expect(await chart.getAttribute('aria-label')).toBe('Cache hit rate per build: 1 build; 0% of layer bytes came from the cache overall');
    const zeroLine = Number(await chart.locator('line.hit-grid').first().getAttribute('y1'));
    const onePoint = chart.locator('circle.hit-point');
    expect(await onePoint.count()).toBe(1);
    expect(Number(await onePoint.getAttribute('cy'))).toBe(zeroLine);
    const box = await onePoint.boundingBox();
    expect(box!.width).toBeGreaterThan(4);
    await page.screenshot({ path: join(SHOTS, 'cache-one-build-light.png'), fullPage: true });

    // The second shares bash and its dependencies with it.
    await build(['bash', 'sed']);
    const history = await engine.api.request('cache:history', {});
    expect(history.map((b) => b.image)).toEqual(['bash-gzip', 'bash-sed']);
    expect(history[0]!.cachedLayers).toBe(0);
    expect(history[1]!.cachedLayers).toBeGreaterThan(0);

    await nav.getByRole('button', { name: 'Settings' }).click();
    await nav.getByRole('button', { name: 'Cache' }).click();
    await expect.poll(() => page.getByTestId('cache-images').textContent()).toBe('2');
    expect(await chart.getAttribute('aria-label')).toMatch(/: 2 builds; \d+% of layer bytes came from the cache overall$/);
    expect(await chart.locator('rect.hit-bar').count()).toBe(2);
    expect(Number(await chart.locator('rect.hit-bar').nth(0).getAttribute('height'))).toBe(0);
    expect(Number(await chart.locator('rect.hit-bar').nth(1).getAttribute('height'))).toBeGreaterThan(0);
    const points = chart.locator('circle.hit-point');
    expect(await points.count()).toBe(2);
    // Higher share of cached layers, higher point (SVG y grows downwards).
    expect(Number(await points.nth(1).getAttribute('cy'))).toBeLessThan(Number(await points.nth(0).getAttribute('cy')));
    expect(await page.getByTestId('cache-hits').textContent()).toBe(String(history[1]!.cachedLayers));
    // Built with the default strategy, the two images share their common paths' layers: each path stored once.
    expect(await page.getByTestId('cache-duplication').textContent()).toMatch(/^1\.00x \(.+ of store paths stored as .+\)$/);
    await page.screenshot({ path: join(SHOTS, 'cache-light.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: join(SHOTS, 'cache-dark.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('previews gc with a budget, lists what would go, then frees exactly that', async () => {
    await page.getByLabel('Keep at most (MiB)').fill('zero');
    await page.getByRole('button', { name: 'Preview' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/^give the size to keep in MiB/);

    await page.getByLabel('Keep at most (MiB)').fill('0');
    // The newest image is kept unless asked: here it is asked.
    await page.getByLabel('Also remove the newest image').check();
    await page.getByRole('button', { name: 'Preview' }).press('Enter');
    const summary = page.getByTestId('gc-preview-summary');
    await expect.poll(() => summary.textContent()).toMatch(/^Removes the images bash-gzip and bash-sed and \d+ layers no remaining image uses.*, freeing .*\.$/);
    const rows = page.getByRole('table', { name: 'Blobs gc would remove' }).getByRole('row');
    expect(await rows.count()).toBeGreaterThan(3);
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: join(SHOTS, 'cache-gc-preview-dark.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'light' });

    const preview = await engine.api.request('cache:gc-preview', { maxSize: 0, keepNewest: false });
    await page.getByRole('button', { name: /^Remove \d+ blobs and 2 images…$/ }).click();
    await page.getByRole('button', { name: /^Yes, remove/ }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Removed' }).textContent()).toContain(`Removed ${preview.blobs.length} blobs and the images bash-gzip, bash-sed`);
    await expect.poll(() => page.getByTestId('cache-images').textContent()).toBe('0');
    expect(await page.getByTestId('cache-total').textContent()).toBe('0 B');
  });

  it('keeps a registry secret for the session only, out of the data dir, and asks again after a restart', async () => {
    const secret = `e2e-secret-${process.pid}-${Date.now()}`;
    await page.getByRole('button', { name: 'Settings' }).click();
    await expect.poll(() => page.getByRole('note').textContent()).toContain('has no system keychain');
    expect(await page.getByTestId('settings-data-dir').textContent()).toBe(home);
    await expect.poll(() => page.getByTestId('settings-nix-version').textContent()).toMatch(/^nix \(Nix\) 2\.\d+/);
    expect(await page.getByTestId('settings-nix-binary').textContent()).toMatch(/\/nix-build$/);

    await page.getByLabel('Registry host').fill('https://registry.example.com');
    await page.getByLabel('User name').fill('alice');
    await page.getByLabel('Password or token').fill(secret);
    await page.getByRole('button', { name: 'Save registry' }).click();
    await expect.poll(() => page.locator('.settings-form [role=alert]').textContent()).toBe('give the registry host without a scheme, e.g. registry.example.com');

    await page.getByLabel('Registry host').fill('127.0.0.1:5000');
    expect(await page.getByLabel('Keep the secret in').inputValue()).toBe('session');
    await page.getByLabel('Verify TLS certificates').uncheck();
    await page.getByRole('button', { name: 'Save registry' }).click();
    const table = page.getByRole('table', { name: 'Registries' });
    await expect.poll(() => table.getByRole('row').nth(1).textContent()).toBe('127.0.0.1:5000aliceThis session onlyReadynot verifiedSaveRemove');
    expect(await page.getByLabel('Password or token').inputValue()).toBe('');
    expect(JSON.stringify(await engine.api.request('registries:list', {}))).not.toContain(secret);
    await page.getByLabel(/^Builders \(nix.conf syntax/).fill('ssh://builder.example x86_64-linux');
    await page.getByRole('button', { name: 'Save builders' }).click();
    await expect.poll(() => page.getByText('Saved for Lamina').textContent()).toBe("Saved for Lamina's builds: --builders 'ssh://builder.example x86_64-linux'.");
    await page.screenshot({ path: join(SHOTS, 'settings-light.png'), fullPage: true });

    // A new `lamina serve` on the same data dir: the registry is remembered, its session secret is not.
    engine.close();
    await serve.stop();
    expect(allBytes(home).includes(Buffer.from(secret))).toBe(false);
    serve = await startServe(home);
    engine = connectEngine(serve.url);
    await page.goto(serve.url);
    await page.getByRole('button', { name: 'Settings' }).click();
    await expect.poll(() => table.getByRole('row').nth(1).textContent()).toContain('Needs the secret again');
    await expect.poll(() => page.getByText('Saved for Lamina').textContent()).toContain('ssh://builder.example x86_64-linux');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: join(SHOTS, 'settings-dark.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'light' });

    await page.getByRole('button', { name: 'Remove 127.0.0.1:5000' }).click();
    await expect.poll(() => page.getByText('No registries yet').isVisible()).toBe(true);
  });

  it('takes a folder with Nix in Settings, refuses one without, and goes back to PATH', async () => {
    const folder = page.getByLabel(/^Folder with Nix's programs/);
    const binary = page.getByTestId('settings-nix-binary');
    const found = (await binary.textContent())!;
    const empty = mkdtempSync(join(tmpdir(), 'lamina-no-nix-'));
    await folder.fill(empty);
    await page.getByRole('button', { name: 'Save folder' }).click();
    await expect.poll(() => page.getByRole('alert').allTextContents()).toContain(`there is no nix-build in ${empty}; give the folder that holds Nix's programs, e.g. /nix/var/nix/profiles/default/bin`);

    await folder.fill(dirname(found));
    await page.getByRole('button', { name: 'Save folder' }).click();
    await expect.poll(() => page.getByText(/^Lamina looks in/).textContent()).toBe(`Lamina looks in ${dirname(found)} first. The CLI uses this folder too.`);
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(await binary.textContent()).toBe(found);
    await page.screenshot({ path: join(SHOTS, 'settings-nix-folder-light.png'), fullPage: true });

    await page.getByRole('button', { name: 'Use PATH' }).click();
    await expect.poll(() => page.getByText(/^Lamina looks on PATH/).isVisible()).toBe(true);
    expect(await folder.inputValue()).toBe('');
  });

  it('ran without console errors, CSP violations or failed requests', () => {
    // The restart above closes the first page's socket on purpose; nothing else may show.
    expect(problems.filter((p) => !/WebSocket|ERR_CONNECTION_REFUSED/.test(p))).toEqual([]);
  });
});
