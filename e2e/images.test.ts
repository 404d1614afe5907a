/**
 * The Images views in Chromium against `lamina serve`: an image built by the
 * `lamina build` CLI on the same data dir (the small Nix test package set), and
 * the same image pushed by `lamina push` to a real local registry with htpasswd
 * auth, opened from the registry's catalog and tags with the login set up in
 * Settings; layers, files, store paths, efficiency, treemap and a comparison.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startRegistry, type RunningRegistry } from '../test/registry/servers/registry-server.js';
import { runCli } from '../test/cli/run-cli.js';
import { connectEngine, type EngineClient } from './engine-client.js';
import { openBrowser, SHOTS, startServe, type ServeProcess } from './serve-session.js';

describe('Images views', () => {
  const home = mkdtempSync(join(tmpdir(), 'lamina-e2e-images-'));
  const lamina = async (...args: string[]): Promise<void> => {
    const { code, stderr } = await runCli(args, { LAMINA_HOME: home });
    expect(code, stderr).toBe(0);
  };
  let registry: RunningRegistry;
  let serve: ServeProcess;
  let engine: EngineClient;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    const source = inject('testbedDir');
    registry = await startRegistry({ kind: 'htpasswd', users: { alice: 'wonderland' } });
    await lamina('build', '-s', source, '-t', 'shell', 'bash', 'gzip');
    await lamina('build', '-s', source, '-t', 'shell-sed', 'bash', 'sed');
    await lamina('push', '--creds', 'alice:wonderland', '--tls-verify', 'false', 'shell', `docker://${registry.host}/team/shell:1.0`);
    serve = await startServe(home);
    engine = connectEngine(serve.url);
    ({ context, page, problems } = await openBrowser());
  });

  afterAll(async () => {
    engine?.close();
    await context?.close();
    await serve?.stop();
    await registry?.stop();
  });

  it('opens an image built by lamina build from the local store: overview, layers, store paths', async () => {
    await page.goto(serve.url);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Images' }).click();
    const store = page.getByRole('list', { name: 'Images in the local store' });
    await store.getByRole('button', { name: /^shell\b/ }).first().click();
    const detail = page.locator('.images-detail');
    await expect.poll(() => detail.getByRole('heading', { level: 2 }).textContent(), { timeout: 30_000 }).toBe(`oci:${home}:shell`);
    expect(await page.getByTestId('image-manifest-digest').textContent()).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await page.getByTestId('image-roots').textContent()).toMatch(/bash/);

    await page.getByRole('tab', { name: 'Layers' }).click();
    const layers = page.getByRole('table', { name: 'Layers' }).getByRole('row');
    expect(await layers.count()).toBeGreaterThan(2);
    expect(await layers.nth(1).textContent()).toMatch(/^1sha256:[0-9a-f]{12}[\d.]+ (B|KiB|MiB)[\d.]+ (B|KiB|MiB)\d+\d+/);
    await page.screenshot({ path: join(SHOTS, 'images-layers-light.png') });

    await page.getByRole('tab', { name: 'Store paths' }).click();
    const paths = page.getByRole('table', { name: 'Store paths' });
    await expect.poll(() => paths.textContent()).toContain('bash');
    expect(await paths.textContent()).toContain('nar');
    const all = await paths.getByRole('row').count();
    await page.getByLabel('Store paths in').selectOption({ index: 1 });
    await expect.poll(() => paths.getByRole('row').count()).toBeLessThan(all);
    await page.screenshot({ path: join(SHOTS, 'images-store-paths-light.png') });
  });

  it("browses a layer's files: marks, sort by size, filter, keyboard, virtualised", async () => {
    await page.getByRole('tab', { name: 'Files' }).click();
    const tree = page.getByRole('tree', { name: 'Layer files' });
    // The last layer is the customisation layer: links into the store, all added.
    await expect.poll(() => tree.getByRole('treeitem').count()).toBeGreaterThan(0);
    await page.getByRole('combobox', { name: /^Layer/ }).selectOption({ index: 0 });
    // Layer 1 holds store paths: its tree opens at nix/store (the customisation layer has no such folder).
    await expect.poll(() => tree.getByRole('treeitem').filter({ hasText: /▾ store$/ }).count()).toBe(1);
    expect(await tree.locator('.mark-added').count()).toBeGreaterThan(0);
    const entries = await tree.getByRole('treeitem').allTextContents();
    const storeEntry = entries.map((e) => /([0-9a-z]{32}-[^\s]+)/.exec(e)?.[1]).find(Boolean)!;
    await page.getByLabel('Filter by path').fill(storeEntry.slice(33));
    // Other store paths of the layer drop out once the filtered tree arrives.
    const storeRows = async () => (await tree.getByRole('treeitem').allTextContents()).filter((e) => /[0-9a-z]{32}-/.test(e));
    await expect.poll(async () => (await storeRows()).length).toBe(1);
    expect((await storeRows())[0]).toContain(storeEntry);
    await page.getByLabel('Filter by path').fill('');
    await page.getByRole('button', { name: 'Sort by size' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Sorted by size' }).getAttribute('aria-pressed')).toBe('true');
    const first = tree.getByRole('treeitem').first();
    await first.focus();
    const before = await tree.getByRole('treeitem').count();
    await page.keyboard.press('Enter');
    await expect.poll(() => tree.getByRole('treeitem').count()).not.toBe(before);
    await page.screenshot({ path: join(SHOTS, 'images-files-light.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: join(SHOTS, 'images-files-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('shows efficiency and a treemap by layer and path', async () => {
    await page.getByRole('tab', { name: 'Efficiency' }).click();
    await expect.poll(() => page.getByTestId('image-efficiency').textContent()).toMatch(/^\d+\.\d%$/);
    await page.getByRole('tab', { name: 'Treemap' }).click();
    const map = page.getByRole('img', { name: /^Treemap of/ });
    await expect.poll(() => map.locator('rect').count()).toBeGreaterThan(10);
    await page.screenshot({ path: join(SHOTS, 'images-treemap-light.png') });
  });

  it('opens the pushed image from the registry catalog and tags with the login from Settings, and compares', async () => {
    await engine.api.request('registries:save', { host: registry.host, username: 'alice', secret: 'wonderland', keep: 'session', tlsVerify: false });
    await page.getByRole('tab', { name: 'Registry' }).click();
    await page.getByLabel('Registry', { exact: true }).fill(registry.host);
    await page.getByLabel('Verify TLS').uncheck();
    await page.getByRole('button', { name: 'Browse' }).click();
    await page.getByRole('list', { name: 'Repositories' }).getByRole('button', { name: 'team/shell' }).click();
    await page.getByRole('list', { name: 'Tags of team/shell' }).getByRole('button', { name: '1.0' }).click();
    const detail = page.locator('.images-detail');
    await expect.poll(() => detail.getByRole('heading', { level: 2 }).textContent(), { timeout: 30_000 }).toBe(`docker://${registry.host}/team/shell:1.0`);

    // The same image from the store and from the registry: every layer is shared.
    await page.getByRole('tab', { name: 'Layers' }).click();
    const layerCount = (await page.getByRole('table', { name: 'Layers' }).getByRole('row').count()) - 1;
    await page.getByRole('tab', { name: 'Compare' }).click();
    await expect.poll(() => page.getByTestId('compare-shared').textContent()).toBe(String(layerCount));
    await page.screenshot({ path: join(SHOTS, 'images-compare-light.png') });
  });

  it('asks for the platform when a tag names a multi-platform index', async () => {
    // An index over the pushed image, put straight into the registry (basic auth, as distribution asks).
    const auth = { authorization: `Basic ${Buffer.from('alice:wonderland').toString('base64')}` };
    const manifestUrl = (tag: string) => `http://${registry.host}/v2/team/shell/manifests/${tag}`;
    const got = await fetch(manifestUrl('1.0'), { headers: { ...auth, accept: 'application/vnd.oci.image.manifest.v1+json' } });
    const body = Buffer.from(await got.arrayBuffer());
    const entry = (architecture: string) => ({
      mediaType: got.headers.get('content-type'),
      digest: got.headers.get('docker-content-digest'),
      size: body.length,
      platform: { os: 'linux', architecture },
    });
    const index = { schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [entry('amd64'), entry('arm64')] };
    const put = await fetch(manifestUrl('multi'), { method: 'PUT', headers: { ...auth, 'content-type': index.mediaType }, body: JSON.stringify(index) });
    expect(put.status).toBe(201);

    await page.getByLabel('Or an image reference').fill(`${registry.host}/team/shell:multi`);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    const choice = page.getByRole('group', { name: 'Choose a platform' });
    await expect.poll(() => choice.getByRole('button').allTextContents()).toEqual(['linux/amd64', 'linux/arm64', 'Cancel']);
    await page.screenshot({ path: join(SHOTS, 'images-platform-choice-light.png') });
    await choice.getByRole('button', { name: 'linux/arm64' }).click();
    const detail = page.locator('.images-detail');
    await expect.poll(() => detail.getByRole('heading', { level: 2 }).textContent()).toBe(`docker://${registry.host}/team/shell:multi`);
    await page.getByRole('tab', { name: 'Overview' }).click();
    expect(await detail.getByText('picked from an index of 2 platforms').isVisible()).toBe(true);
  });

  it('says what is wrong when an image cannot be opened', async () => {
    await page.getByRole('tab', { name: 'OCI layout' }).click();
    await page.getByLabel(/^OCI layout folder/).fill('/nonexistent/layout');
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => page.locator('.images-open [role=alert]').textContent()).toMatch(/nonexistent/);
  });

  it('ran without console errors, CSP violations or failed requests', () => {
    expect(problems).toEqual([]);
  });
});
