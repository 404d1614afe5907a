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
  let layerCount = 0;

  beforeAll(async () => {
    const source = inject('testbedDir');
    registry = await startRegistry({ kind: 'htpasswd', users: { alice: 'wonderland' } });
    await lamina('build', '-s', source, '-t', 'shell', 'bash', 'gzip');
    await lamina('build', '-s', source, '-t', 'shell-sed', 'bash', 'sed');
    await lamina('push', '--creds', 'alice:wonderland', '--tls-verify=false', 'shell', `docker://${registry.host}/team/shell:1.0`);
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
    const history = page.getByRole('table', { name: 'History' }).getByRole('row');
    const madeBy = (await history.locator('td:nth-child(3)').allTextContents()).filter((t) => t !== 'none');
    await page.screenshot({ path: join(SHOTS, 'images-overview-light.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: join(SHOTS, 'images-overview-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });

    await page.getByRole('tab', { name: 'Layers' }).click();
    const layers = page.getByRole('table', { name: 'Layers' }).getByRole('row');
    layerCount = (await layers.count()) - 1;
    expect(layerCount).toBeGreaterThan(1);
    expect(await layers.nth(1).textContent()).toMatch(/^1sha256:[0-9a-f]{12}[\d.]+ (B|KiB|MiB)[\d.]+ (B|KiB|MiB)\d+\d+/);
    // Layers count from 1 in every label: the history, the layers table and the layer pickers agree.
    const numbers = Array.from({ length: layerCount }, (_, i) => i + 1);
    expect(await layers.locator('td:first-child').allTextContents()).toEqual(numbers.map(String));
    expect(madeBy).toEqual(numbers.map((n) => `Layer ${n}`));
    await page.screenshot({ path: join(SHOTS, 'images-layers-light.png') });

    await page.getByRole('tab', { name: 'Store paths' }).click();
    const paths = page.getByRole('table', { name: 'Store paths' });
    await expect.poll(() => paths.textContent()).toContain('bash');
    expect(await paths.textContent()).toContain('nar');
    const all = await paths.getByRole('row').count();
    expect((await page.getByLabel('Store paths in').locator('option').allTextContents()).slice(1).map((o) => o.replace(/ \(\d+\)$/, ''))).toEqual(
      Array.from({ length: layerCount }, (_, i) => `Layer ${i + 1}`),
    );
    await page.getByLabel('Store paths in').selectOption({ index: 1 });
    await expect.poll(() => paths.getByRole('row').count()).toBeLessThan(all);
    await page.screenshot({ path: join(SHOTS, 'images-store-paths-light.png') });
  });

  it("browses a layer's files: marks, sort by size, filter, virtualised", async () => {
    await page.getByRole('tab', { name: 'Files' }).click();
    const tree = page.getByRole('tree', { name: 'Layer files' });
    // The last layer is the customisation layer: links into the store, all added.
    await expect.poll(() => tree.getByRole('treeitem').count()).toBeGreaterThan(0);
    const picker = page.getByRole('combobox', { name: /^Layer/ });
    expect((await picker.locator('option').allTextContents()).map((o) => o.split(':')[0])).toEqual(Array.from({ length: layerCount }, (_, i) => `Layer ${i + 1}`));
    await picker.selectOption({ index: 0 });
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
    await page.screenshot({ path: join(SHOTS, 'images-files-light.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: join(SHOTS, 'images-files-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('moves through the file tree with the keyboard: one Tab stop, arrows, Home/End, Enter, in view', async () => {
    const tree = page.getByRole('tree', { name: 'Layer files' });
    // The layer with the most entries, so that opened folders overflow the virtualised list.
    const options = await page.getByRole('combobox', { name: /^Layer/ }).locator('option').allTextContents();
    const biggest = options.map((o) => Number(/(\d+) entries\)$/.exec(o)![1])).reduce((best, n, i, all) => (n > all[best]! ? i : best), 0);
    await page.getByRole('combobox', { name: /^Layer/ }).selectOption({ index: biggest });
    await expect.poll(() => tree.getByRole('treeitem', { level: 3 }).count()).toBeGreaterThan(0);
    expect(await tree.locator('[role=treeitem][tabindex="0"]').count()).toBe(1);

    /** The focused row: its level, whether it is open, whether it is selected, and its text. */
    const focused = () =>
      page.locator(':focus').evaluate((row) => ({
        role: row.getAttribute('role'),
        level: Number(row.getAttribute('aria-level')),
        expanded: row.getAttribute('aria-expanded'),
        selected: row.getAttribute('aria-selected'),
        text: row.textContent ?? '',
      }));

    // Tab from the toolbar enters the tree once, at its first row; the next Tab leaves it.
    await page.getByRole('button', { name: 'Sorted by size' }).focus();
    await page.keyboard.press('Tab');
    expect(await focused()).toMatchObject({ role: 'treeitem', level: 1, expanded: 'true' });
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.getAttribute("role") ?? null')).not.toBe('treeitem');
    await page.keyboard.press('Shift+Tab');
    expect((await focused()).level).toBe(1);

    // Right on an open folder goes to its first child; Down to the next row.
    await page.keyboard.press('ArrowRight');
    expect(await focused()).toMatchObject({ level: 2, expanded: 'true', selected: 'true' });
    expect(await tree.locator('[aria-selected=true]').count()).toBe(1);
    await page.keyboard.press('ArrowDown');
    const storePath = await focused();
    expect(storePath).toMatchObject({ level: 3, expanded: 'false' });
    // Right opens a closed folder, Right again enters it, Left goes back up, Left closes, Enter toggles.
    await page.keyboard.press('ArrowRight');
    expect(await focused()).toMatchObject({ level: 3, expanded: 'true', text: storePath.text.replace('▸', '▾') });
    await page.keyboard.press('ArrowRight');
    expect((await focused()).level).toBe(4);
    await page.keyboard.press('ArrowLeft');
    expect(await focused()).toMatchObject({ level: 3, expanded: 'true' });
    await page.keyboard.press('ArrowLeft');
    expect(await focused()).toMatchObject({ level: 3, expanded: 'false' });
    await page.keyboard.press('Enter');
    expect((await focused()).expanded).toBe('true');
    await page.keyboard.press('Enter');
    expect((await focused()).expanded).toBe('false');
    await page.keyboard.press('ArrowUp');
    expect((await focused()).level).toBe(2);
    await page.keyboard.press('ArrowDown');

    // * opens the closed folders beside the focused row: the store paths, then the folders down the first of them.
    await page.keyboard.press('*');
    expect(await tree.locator('[aria-level="3"][aria-expanded=false]').count()).toBe(0);
    for (const level of [4, 5]) {
      await page.keyboard.press('ArrowDown');
      expect((await focused()).level).toBe(level);
      await page.keyboard.press('*');
    }
    const scroller = await tree.evaluate((el) => ({ scrollHeight: el.scrollHeight, clientHeight: el.clientHeight }));
    expect(scroller.scrollHeight).toBeGreaterThan(2 * scroller.clientHeight);

    /** Whether the focused row lies inside the tree's scrolled viewport. */
    const focusedInView = () =>
      tree.evaluate((el) => {
        const active = el.ownerDocument.activeElement;
        if (!active || !el.contains(active)) return false;
        const box = el.getBoundingClientRect();
        const row = active.getBoundingClientRect();
        return row.top >= box.top - 1 && row.bottom <= box.bottom + 1;
      });
    await page.keyboard.press('End');
    await expect.poll(focusedInView).toBe(true);
    const end = page.locator(':focus');
    expect(await end.getAttribute('aria-posinset')).toBe(await end.getAttribute('aria-setsize'));
    // Virtualised: the top rows are out of the DOM now, yet Home brings the first one back, focused and in view.
    expect(await tree.getByRole('treeitem', { level: 1 }).count()).toBe(0);
    await page.keyboard.press('Home');
    await expect.poll(focusedInView).toBe(true);
    expect((await focused()).level).toBe(1);
    // Typing a letter moves to the next row whose name starts with it.
    await page.keyboard.press('s');
    expect(await focused()).toMatchObject({ level: 2, text: expect.stringMatching(/ store$/) });
    await page.keyboard.press('Home');
    // Scrolled away with the wheel, the tree keeps its one Tab stop on the active row.
    await tree.evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await page.getByRole('button', { name: 'Sorted by size' }).focus();
    await page.keyboard.press('Tab');
    expect(await focused()).toMatchObject({ role: 'treeitem', level: 1 });
    await page.screenshot({ path: join(SHOTS, 'images-files-keyboard-light.png') });
  });

  it('shows efficiency and a treemap by layer and path', async () => {
    await page.getByRole('tab', { name: 'Efficiency' }).click();
    await expect.poll(() => page.getByTestId('image-efficiency').textContent()).toMatch(/^\d+\.\d%$/);
    await page.getByRole('tab', { name: 'Treemap' }).click();
    const map = page.getByRole('img', { name: /^Treemap of/ });
    await expect.poll(() => map.locator('rect').count()).toBeGreaterThan(10);
    // The treemap's layer boxes count from 1 as well.
    const layerBoxes = await map.locator('rect.tm-depth-1 title').allTextContents();
    expect(layerBoxes.map((t) => t.split(':')[0]).sort()).toEqual(Array.from({ length: layerCount }, (_, i) => `Layer ${i + 1}`).sort());
    await page.screenshot({ path: join(SHOTS, 'images-treemap-light.png') });
  });

  it('moves between tabs with the arrow keys, Home and End; each tab names its panel', async () => {
    const parts = page.getByRole('tablist', { name: 'Image parts' });
    const selected = () => parts.locator('[role=tab][aria-selected=true]').textContent();
    const focusedTab = () => page.locator(':focus').evaluate((el) => (el.getAttribute('role') === 'tab' ? el.textContent : null));
    await parts.getByRole('tab', { name: 'Overview' }).click();
    expect(await parts.locator('[role=tab][tabindex="0"]').count()).toBe(1);
    await page.keyboard.press('ArrowRight');
    expect([await selected(), await focusedTab()]).toEqual(['Layers', 'Layers']);
    await page.keyboard.press('End');
    expect([await selected(), await focusedTab()]).toEqual(['Compare', 'Compare']);
    await page.keyboard.press('ArrowRight');
    expect([await selected(), await focusedTab()]).toEqual(['Overview', 'Overview']);
    await page.keyboard.press('ArrowLeft');
    expect(await selected()).toBe('Compare');
    await page.keyboard.press('Home');
    expect([await selected(), await focusedTab()]).toEqual(['Overview', 'Overview']);
    // Tab leaves the tab list for the panel's content instead of visiting every tab.
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.getAttribute("role") ?? null')).not.toBe('tab');

    // Each tab controls a panel that is labelled by it; only the selected one shows.
    for (const tab of await parts.getByRole('tab').all()) {
      const panel = page.locator(`[id="${await tab.getAttribute('aria-controls')}"]`);
      expect(await panel.getAttribute('role')).toBe('tabpanel');
      expect(await panel.getAttribute('aria-labelledby')).toBe(await tab.getAttribute('id'));
      expect(await panel.isVisible()).toBe((await tab.getAttribute('aria-selected')) === 'true');
    }
    expect(await page.getByRole('tabpanel', { name: 'Overview' }).getByRole('table', { name: 'History' }).isVisible()).toBe(true);

    // The source tabs work the same way.
    const sources = page.getByRole('tablist', { name: 'Image source' });
    await sources.getByRole('tab', { name: 'Local store' }).focus();
    await page.keyboard.press('ArrowRight');
    expect(await sources.locator('[role=tab][aria-selected=true]').textContent()).toBe('Registry');
    expect(await page.getByRole('tabpanel', { name: 'Registry' }).getByRole('textbox', { name: 'Registry', exact: true }).isVisible()).toBe(true);
    await page.keyboard.press('Home');
    expect(await page.getByRole('tabpanel', { name: 'Local store' }).getByRole('list', { name: 'Images in the local store' }).isVisible()).toBe(true);
  });

  it('opens the pushed image from the registry catalog and tags with the login from Settings, and compares', async () => {
    await engine.api.request('registries:save', { host: registry.host, username: 'alice', secret: 'wonderland', keep: 'session', tlsVerify: false });
    await page.getByRole('tab', { name: 'Registry' }).click();
    await page.getByRole('textbox', { name: 'Registry', exact: true }).fill(registry.host);
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
    const shared = page.getByRole('table', { name: 'Shared layers' }).getByRole('row');
    const numbers = Array.from({ length: layerCount }, (_, i) => String(i + 1));
    expect(await shared.locator('td:nth-child(1)').allTextContents()).toEqual(numbers);
    expect(await shared.locator('td:nth-child(2)').allTextContents()).toEqual(numbers);
    // The three store path columns line up: headings on one row, their lists (here all "none") on the next.
    const columns = page.locator('.images-compare-paths section');
    expect(await columns.count()).toBe(3);
    const edges = async (selector: string, edge: 'top' | 'bottom') =>
      Promise.all((await columns.locator(selector).all()).map(async (e) => ((box) => Math.round(edge === 'top' ? box.y : box.y + box.height))((await e.boundingBox())!)));
    const tops = (selector: string) => edges(selector, 'top');
    expect(new Set(await edges('h3', 'bottom')).size).toBe(1);
    expect(await tops('p, ul')).toHaveLength(3);
    expect(new Set(await tops('p, ul')).size).toBe(1);
    await page.setViewportSize({ width: 900, height: 800 });
    expect(new Set(await tops('p, ul')).size).toBe(1);
    await page.screenshot({ path: join(SHOTS, 'images-compare-narrow-light.png') });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.screenshot({ path: join(SHOTS, 'images-compare-light.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: join(SHOTS, 'images-compare-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });
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

  it('says what is wrong when an image cannot be opened, in the source tab that tried', async () => {
    const sources = page.getByRole('tablist', { name: 'Image source' });
    const alerts = page.locator('.images-open [role=alert]');
    await sources.getByRole('tab', { name: 'OCI layout' }).click();
    await page.getByLabel(/^OCI layout folder/).fill('/etc');
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => page.getByRole('tabpanel', { name: 'OCI layout' }).getByRole('alert').textContent()).toMatch(/\/etc is not an OCI image layout/);

    // The Registry tab shows only its own error; the layout's error went with its tab.
    await sources.getByRole('tab', { name: 'Registry' }).click();
    expect(await alerts.count()).toBe(0);
    await page.getByRole('textbox', { name: 'Registry', exact: true }).fill('127.0.0.1:1');
    await page.getByRole('button', { name: 'Browse' }).click();
    await expect.poll(() => alerts.count()).toBe(1);
    expect(await alerts.textContent()).toMatch(/127\.0\.0\.1:1/);
    await page.screenshot({ path: join(SHOTS, 'images-open-error-light.png') });

    // Back on the layout tab: neither error is left over.
    await sources.getByRole('tab', { name: 'OCI layout' }).click();
    expect(await alerts.count()).toBe(0);
    await page.getByLabel(/^OCI layout folder/).fill('/nonexistent/layout');
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => alerts.textContent()).toMatch(/nonexistent/);
    expect(await alerts.count()).toBe(1);
    await sources.getByRole('tab', { name: 'Docker archive' }).click();
    expect(await alerts.count()).toBe(0);
  });

  it('closes opened images, one at a time, until none is left', async () => {
    const opened = page.getByRole('region', { name: 'Opened images' });
    const heading = page.locator('.images-detail').getByRole('heading', { level: 2 });
    const refs = async () => (await opened.locator('.images-opened-ref').allTextContents());
    const before = await refs();
    expect(before).toEqual([`oci:${home}:shell`, `docker://${registry.host}/team/shell:1.0`, `docker://${registry.host}/team/shell:multi`]);
    // The engine holds each opened image's report (ids count up from 1) until the page closes it.
    const held = async (): Promise<number> => {
      const ids = Array.from({ length: 12 }, (_, i) => String(i + 1));
      const answers = await Promise.allSettled(ids.map((id) => engine.api.request('images:treemap', { id })));
      return answers.filter((a) => a.status === 'fulfilled').length;
    };
    expect(await held()).toBeGreaterThanOrEqual(3);

    // Closing the current (last) image shows the one before it, and focus stays in the list.
    await opened.getByRole('button', { name: `Close ${before[2]}` }).click();
    expect(await refs()).toEqual(before.slice(0, 2));
    await expect.poll(() => heading.textContent()).toBe(before[1]);
    expect(await opened.locator(':focus').count()).toBe(1);

    // Closing one that is not current leaves the current one on screen; Compare has no partner left.
    await opened.getByText(before[0]!, { exact: true }).click();
    await expect.poll(() => heading.textContent()).toBe(before[0]);
    await opened.getByRole('button', { name: `Close ${before[1]}` }).click();
    expect(await refs()).toEqual([before[0]]);
    expect(await heading.textContent()).toBe(before[0]);
    await page.getByRole('tab', { name: 'Compare' }).click();
    expect(await page.getByText('Open a second image to compare this one with it.').isVisible()).toBe(true);

    await opened.getByRole('button', { name: `Close ${before[0]}` }).click();
    expect(await opened.count()).toBe(0);
    await expect.poll(held).toBe(0);
    expect(await page.getByText('Open an image to see its layers, files and store paths.').isVisible()).toBe(true);
  });

  it('ran without console errors, CSP violations or failed requests', () => {
    expect(problems).toEqual([]);
  });
});
