/**
 * Opening a large image in the Images view, in Chromium against `lamina serve`:
 * OCI layouts written here with layers of hundreds of MiB of random bytes (read
 * at the engine's own pace), a progress bar of layer bytes that rises to the
 * manifest's total with the layers counted beside it, and a Cancel that stops
 * the open mid-way, leaves the view as it was with one line saying so, and keeps
 * nothing half-read: opening again lists every file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatBytes } from '../src-shared/format-bytes.js';
import { writeBigLayout, type BigLayer, type BigLayout } from './big-layout.js';
import { openBrowser, SHOTS, startServe, type ServeProcess } from './serve-session.js';

const MiB = 1024 * 1024;
const LAYERS: readonly BigLayer[] = [
  { folder: 'first', smallFiles: ['a.txt', 'b.txt'], bigBytes: 256 * MiB },
  { folder: 'second', smallFiles: ['c.txt'], bigBytes: 256 * MiB },
];

describe('opening a large image in the Images view', () => {
  const work = mkdtempSync(join(tmpdir(), 'lamina-e2e-open-'));
  let watched: BigLayout;
  let cancelled: BigLayout;
  let serve: ServeProcess;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    // Two images of their own random bytes: the second is not indexed by opening the first.
    watched = await writeBigLayout(join(work, 'watched'), LAYERS);
    cancelled = await writeBigLayout(join(work, 'cancelled'), LAYERS);
    serve = await startServe(join(work, 'home'));
    ({ context, page, problems } = await openBrowser());
    await page.goto(serve.url);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Images' }).click();
    await page.getByRole('tab', { name: 'OCI layout' }).click();
  });

  afterAll(async () => {
    await context?.close();
    await serve?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  const panel = () => page.locator('.images-open');
  const bar = () => panel().getByRole('progressbar', { name: 'Layer bytes read' });
  const heading = () => page.locator('.images-detail').getByRole('heading', { level: 2 });
  const openLayout = async (ref: string): Promise<void> => {
    await panel().getByLabel('OCI layout folder').fill(ref.slice('oci:'.length));
    await panel().getByRole('button', { name: 'Open', exact: true }).click();
  };

  it('shows the layer bytes read rising to the total, and the layers done', async () => {
    // Every value the bar takes, as the page renders it (an observer, so none is missed between polls).
    await page.evaluate(`(() => {
      const root = document.querySelector('.images-open');
      window.barValues = [];
      new MutationObserver(() => {
        const bar = root.querySelector('progress[aria-label="Layer bytes read"][value]');
        if (bar && window.barValues.at(-1)?.[0] !== bar.value) window.barValues.push([bar.value, bar.max]);
      }).observe(root, { subtree: true, childList: true, attributes: true, characterData: true });
    })()`);
    await openLayout(watched.ref);
    await expect.poll(() => panel().getByRole('status').textContent()).toContain(`Opening ${watched.ref}`);
    await expect.poll(() => bar().getAttribute('value')).toMatch(/^[1-9]/);
    await page.screenshot({ path: join(SHOTS, 'images-open-progress-light.png') });
    await expect.poll(() => heading().textContent(), { timeout: 110_000 }).toBe(watched.ref);

    const values = (await page.evaluate('window.barValues')) as [number, number][];
    expect(values.every(([, max]) => max === watched.layerBytes)).toBe(true);
    for (let i = 1; i < values.length; i++) expect(values[i]![0]).toBeGreaterThan(values[i - 1]![0]);
    const between = values.filter(([value]) => value > 0 && value < watched.layerBytes);
    expect(between.length).toBeGreaterThanOrEqual(2);
    expect(values.at(-1)![0]).toBe(watched.layerBytes);
    // The finished open stays shown as the CLI's bar does: the whole, and every layer.
    expect(Number(await bar().getAttribute('value'))).toBe(watched.layerBytes);
    expect(await panel().locator('.progress-text').textContent()).toBe(`${formatBytes(watched.layerBytes)} of ${formatBytes(watched.layerBytes)}`);
    expect(await panel().locator('.images-open-layers').textContent()).toBe('2 of 2 layers');
  });

  it('cancels an open mid-way: the view stays as it was, says so, and a new open lists every file', async () => {
    await openLayout(cancelled.ref);
    await expect.poll(() => panel().getByRole('status').textContent()).toContain(`Opening ${cancelled.ref}`);
    await expect.poll(() => bar().getAttribute('value')).toMatch(/^[1-9]/);
    expect(Number(await bar().getAttribute('value'))).toBeLessThan(cancelled.layerBytes);
    await panel().getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => panel().getByRole('status').textContent()).toBe(`Cancelled opening ${cancelled.ref}; nothing half-read was kept.`);
    expect(await bar().count()).toBe(0);
    expect(await panel().getByRole('button', { name: 'Cancel' }).count()).toBe(0);
    // As before: the image opened earlier is still the one shown, and the only one opened.
    expect(await heading().textContent()).toBe(watched.ref);
    expect(await page.getByRole('region', { name: 'Opened images' }).getByRole('listitem').count()).toBe(1);
    expect(await page.getByRole('alert').count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'images-open-cancelled-light.png') });

    await panel().getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => heading().textContent(), { timeout: 110_000 }).toBe(cancelled.ref);
    expect(await panel().locator('.images-open-layers').textContent()).toBe('2 of 2 layers');
    await page.getByRole('tab', { name: 'Files' }).click();
    const tree = page.getByRole('tree', { name: 'Layer files' });
    const picker = page.getByRole('combobox', { name: /^Layer/ });
    for (const [index, files] of cancelled.files.entries()) {
      await picker.selectOption({ index });
      const expected = files.map((f) => f.split('/')[1]!).sort();
      await expect
        .poll(async () => (await tree.getByRole('treeitem', { level: 2 }).locator('.images-name').allTextContents()).map((t) => t.trim()).sort())
        .toEqual(expected);
    }
    expect(problems).toEqual([]);
  });
});
