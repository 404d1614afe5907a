/**
 * The app tells the truth at a glance (issue 16), walked as a person does it with
 * a real mouse and keyboard, at 1440x900 and 1024x700, light and dark: a graph
 * whose nodes answer a click and the keyboard, layers named by what they hold,
 * a refused entrypoint, a Build view that leads with reuse and says when it is
 * out of date, a cancelled build that looks cancelled, a gc that says what it
 * removes and asks first, and the small fixes. Real `lamina serve`, real Nix
 * builds of the test package set; screenshots go to test-results/glance-*.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { writeThrowawaySet } from '../test/nix/throwaway-set.js';
import { openBrowser, SHOTS, startServe, type BrowserSession, type ServeProcess } from './serve-session.js';

const SIZES = [
  { width: 1440, height: 900 },
  { width: 1024, height: 700 },
] as const;

async function shoot(page: Page, name: string, schemes: readonly ('light' | 'dark')[] = ['light', 'dark']): Promise<void> {
  for (const size of SIZES) {
    await page.setViewportSize(size);
    for (const scheme of schemes) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: join(SHOTS, `glance-${name}-${size.width}-${scheme}.png`) });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize(SIZES[0]);
}

/** A real click in the middle of what the locator shows. */
async function clickAt(page: Page, target: Locator): Promise<void> {
  await target.scrollIntoViewIfNeeded();
  const box = (await target.boundingBox())!;
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
}

/** "12.3 MiB nar" -> bytes: a cell that starts with a size as the app prints it. */
function parseSize(text: string): number {
  const match = /^([\d.,]+) (B|KiB|MiB|GiB)\b/.exec(text.trim());
  if (!match) throw new Error(`not a size: ${text}`);
  return Number(match[1]!.replace(/,/g, '')) * 1024 ** ['B', 'KiB', 'MiB', 'GiB'].indexOf(match[2]!);
}

describe('the app tells the truth at a glance', () => {
  const source = inject('testbedDir');
  let serve: ServeProcess;
  let browser: BrowserSession;
  let page: Page;

  beforeAll(async () => {
    serve = await startServe(mkdtempSync(join(tmpdir(), 'lamina-e2e-glance-')));
    browser = await openBrowser();
    page = browser.page;
    await page.setViewportSize(SIZES[0]);
  });

  afterAll(async () => {
    await browser?.context.close();
    await serve?.stop();
  });

  const nav = (label: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: label, exact: true });
  const search = () => page.getByLabel('Search packages');
  const buildBadge = () => page.locator('.flow-job .badge');

  async function addPackage(name: string): Promise<void> {
    await search().click();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type(name);
    await expect.poll(() => page.getByRole('option').first().textContent()).toContain(name);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('button', { name: `Remove ${name}` }).count()).toBe(1);
  }

  async function loadSource(dir: string): Promise<void> {
    await clickAt(page, nav('Compose'));
    const field = page.getByLabel('Package source');
    await field.click();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type(dir);
    await clickAt(page, page.getByRole('button', { name: 'Load packages' }));
    await expect.poll(() => page.getByTestId('index-status').textContent(), { timeout: 60_000 }).toMatch(new RegExp(`packages indexed from ${dir}$`));
  }

  it('Compose names the image, picks its compression and can mark it a base image (point 10)', async () => {
    await page.goto(serve.url);
    await expect.poll(() => page.locator('.engine-status').textContent()).toContain('Engine ready');
    await loadSource(source);
    await addPackage('bash');
    await addPackage('gzip');
    await expect.poll(() => page.getByLabel('Name in the store').getAttribute('placeholder')).toBe('default: bash-gzip');
    expect(await page.getByRole('radio', { name: /^gzip/ }).isChecked()).toBe(true);
    expect(await page.getByLabel(/A base image/).isChecked()).toBe(false);
    await page.getByLabel('Entrypoint', { exact: true }).click();
    await page.keyboard.type('/bin/gzip');
    await shoot(page, 'compose');
  });

  it('Plan: a real click on a node and Tab + Enter both answer why a path is there; layers are named, the links layer counted (points 1, 3, 4)', async () => {
    await clickAt(page, nav('Plan'));
    const summary = page.getByTestId('plan-summary');
    await expect.poll(() => summary.textContent(), { timeout: 60_000 }).toMatch(/^\d+ layers for \d+ store paths, .*: \d+ layers? of store paths \(\d+ reused from your store\) and 1 of links to the packages; a build writes .+$/);
    const all = Number((await summary.textContent())!.split(' ')[0]);
    const storeLayers = all - 1;
    const legend = page.getByRole('list', { name: 'Layers' }).locator(':scope > li');
    expect(await legend.count()).toBe(all);
    const names = await legend.locator('.layer-legend-name').allTextContents();
    expect(names.at(-1)).toBe(`Layer ${all}: links to bash, gzip`);
    // No store hash and no "1 paths": a package name, and a count of the others.
    for (const name of names.slice(0, storeLayers)) expect(name).toMatch(/^Layer \d+: [a-z][\w.+-]*(, [a-z][\w.+-]*)?( \+ \d+ more)?$/);
    expect(names.join(' ')).not.toMatch(/\b1 paths\b|[0-9a-z]{32}/);

    // A row opens to its store paths with the mouse.
    const first = legend.first();
    await clickAt(page, first.locator('summary'));
    await expect.poll(() => first.locator('.layer-legend-paths li').count()).toBeGreaterThan(0);
    expect(await first.locator('.layer-legend-paths code').first().textContent()).not.toMatch(/^\/nix\/store/);

    // The graph opens whole: every node inside its box.
    const graph = page.locator('.closure-graph');
    const nodes = page.locator('.graph-node');
    await expect.poll(() => nodes.count()).toBeGreaterThan(2);
    const frame = (await graph.boundingBox())!;
    for (const box of await nodes.evaluateAll((els) => els.map((el) => el.getBoundingClientRect().toJSON() as { x: number; y: number; width: number; height: number }))) {
      expect(box.x).toBeGreaterThanOrEqual(frame.x - 1);
      expect(box.x + box.width).toBeLessThanOrEqual(frame.x + frame.width + 1);
    }

    // A real mouse click on a node (press, release, no synthetic event).
    const libc = page.locator('.graph-node', { hasText: /^libc6/ }).first();
    await clickAt(page, libc.locator('rect'));
    await expect.poll(() => page.getByTestId('why-depends').textContent()).toMatch(/libc6.* is pulled in by 2 top-level packages/);
    expect(await libc.getAttribute('aria-pressed')).toBe('true');
    // A drag that starts on a node pans, and selects nothing.
    const gzipNode = page.locator('.graph-node', { hasText: /^gzip/ }).first();
    const start = (await gzipNode.boundingBox())!;
    await page.mouse.move(start.x + 10, start.y + 10);
    await page.mouse.down();
    await page.mouse.move(start.x + 60, start.y + 40, { steps: 5 });
    await page.mouse.up();
    // The whole graph moved with the mouse: the node is as far from where it was as the pointer went.
    const moved = async (): Promise<number[]> => {
      const now = (await gzipNode.boundingBox())!;
      return [Math.round(now.x - start.x), Math.round(now.y - start.y)];
    };
    await expect.poll(moved).toEqual([50, 30]);
    expect(await gzipNode.getAttribute('aria-pressed')).toBe('false');
    // After the pan a click still lands on the node under the pointer, and selects that path and no other.
    await clickAt(page, gzipNode.locator('rect'));
    await expect.poll(() => gzipNode.getAttribute('aria-pressed')).toBe('true');
    expect(await libc.getAttribute('aria-pressed')).toBe('false');
    await expect.poll(() => page.getByTestId('why-depends').locator('code').first().textContent()).toMatch(/^gzip-/);
    // The same after a wheel zoom over libc6: it grows where it is, and a click on it selects it again.
    const small = (await libc.boundingBox())!;
    await page.mouse.move(small.x + small.width / 2, small.y + small.height / 2);
    await page.mouse.wheel(0, -300);
    await expect.poll(async () => (await libc.boundingBox())!.width).toBeGreaterThan(small.width * 1.3);
    const large = (await libc.boundingBox())!;
    expect(Math.abs(large.x + large.width / 2 - (small.x + small.width / 2))).toBeLessThan(2);
    await clickAt(page, libc.locator('rect'));
    await expect.poll(() => libc.getAttribute('aria-pressed')).toBe('true');
    expect(await gzipNode.getAttribute('aria-pressed')).toBe('false');
    await page.keyboard.press('0');

    // The keyboard: Tab from the graph reaches the nodes, Enter asks why.
    await graph.focus();
    await page.keyboard.press('Tab');
    const focused = await page.locator(':focus').getAttribute('data-path');
    expect(focused).toMatch(/^\/nix\/store\//);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('why-depends').locator('code').first().textContent()).toBe(focused!.replace(/^\/nix\/store\/[0-9a-z]{32}-/, ''));
    await shoot(page, 'plan');

    // Zoomed far out, the most telling names stay readable instead of vanishing: once the zoom has come to rest
    // the graph is drawn again at its new scale (until then the picture of it is only scaled), names at 11 px.
    for (let i = 0; i < 8; i++) await page.keyboard.press('-');
    await expect.poll(() => graph.getAttribute('data-far')).toBe('');
    const far = page.locator('.graph-far-label');
    await expect.poll(() => far.count()).toBeGreaterThan(0);
    await expect.poll(async () => (await far.first().boundingBox())!.height).toBeGreaterThanOrEqual(9);
    await page.screenshot({ path: join(SHOTS, 'glance-plan-far-1440-light.png') });
    await page.keyboard.press('0');

    // The treemap names layers and cells by package, not by hash.
    const layerLabels = await page.locator('.treemap-layer-label').allTextContents();
    expect(layerLabels.length).toBeGreaterThan(0);
    expect(layerLabels.join(' ')).not.toMatch(/[0-9a-z]{32}/);
    expect(await page.locator('.treemap-leaf-label').allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/^(bash|gzip|libc6)/)]));
  });

  it('Build leads with what it reused and wrote and why; layer rows are named and keep their columns at 1024 px (points 3, 6, 8)', async () => {
    await clickAt(page, nav('Build'));
    await clickAt(page, page.getByRole('button', { name: 'Build image' }));
    await expect.poll(() => buildBadge().textContent(), { timeout: 90_000 }).toBe('Succeeded');
    const summary = page.getByTestId('build-summary');
    await expect.poll(() => summary.locator('.build-summary-line').textContent()).toMatch(/^Reused 0 of (\d+) layers from the cache \(0 B\), wrote \1 \([\d.]+ (KiB|MiB)\)\.$/);
    expect(await summary.getByRole('list', { name: 'Why layers were written' }).locator('li').first().textContent()).toMatch(/new: (its path was not|none of its \d+ paths was) in the cache/);
    const what = await page.locator('.layer-rows .layer-what').allTextContents();
    expect(what.at(-1)).toBe('links to bash, gzip');
    expect(what.join(' ')).not.toMatch(/\b1 paths\b/);

    // "Push it" is a link to Push.
    await clickAt(page, page.getByTestId('built-image').getByRole('button', { name: 'Push it to a registry' }));
    await expect.poll(() => nav('Push').getAttribute('aria-current')).toBe('page');
    await clickAt(page, nav('Build'));

    for (const size of SIZES) {
      await page.setViewportSize(size);
      const rows = page.locator('.layer-rows li');
      for (let i = 0; i < (await rows.count()); i++) {
        const digest = (await rows.nth(i).locator('.layer-digest').boundingBox())!;
        const bytes = (await rows.nth(i).locator('.layer-size').boundingBox())!;
        expect(digest.x + digest.width).toBeLessThanOrEqual(bytes.x);
      }
    }
    await shoot(page, 'build');

    await clickAt(page, page.getByRole('button', { name: 'Build again' }));
    await expect.poll(() => summary.locator('.build-summary-line').textContent(), { timeout: 90_000 }).toMatch(/^Reused (\d+) of \1 layers from the cache \([\d.]+ (KiB|MiB)\), wrote 0 \(0 B\)\.$/);
    // Said once the job has finished, which can be a moment after the last layer.
    await expect.poll(() => summary.textContent()).toContain('Nothing was written: every layer came from the cache.');
  });

  it('Build says it shows an older recipe once Compose changed it, and builds the new one with reuse explained (point 5, 6)', async () => {
    await clickAt(page, nav('Compose'));
    await addPackage('sed');
    await clickAt(page, nav('Build'));
    const stale = page.getByTestId('build-stale');
    await expect.poll(() => stale.textContent()).toContain('bash gzip, made from an earlier version of the recipe');
    expect(await page.getByRole('button', { name: 'Build again' }).count()).toBe(0);
    await shoot(page, 'build-stale', ['light']);
    await clickAt(page, stale.getByRole('button', { name: 'Build the recipe as it is now' }));
    await expect.poll(() => page.getByTestId('build-stale').count()).toBe(0);
    await expect.poll(() => buildBadge().textContent(), { timeout: 90_000 }).toBe('Succeeded');
    const line = page.getByTestId('build-summary').locator('.build-summary-line');
    await expect.poll(() => line.textContent()).toMatch(/^Reused [1-9]\d* of \d+ layers from the cache/);
    expect(await page.getByRole('list', { name: 'Why layers were written' }).textContent()).toMatch(/links to bash, gzip, sed.*the links layer for this set of packages was not in the cache/);
    await shoot(page, 'build-reuse');
  });

  it('Plan after two builds: every strategy side by side with what a build writes, and each layer says whether it is reused and why (point 4, issue 10)', async () => {
    await clickAt(page, nav('Plan'));
    const summary = page.getByTestId('plan-summary');
    // The recipe just built: the reuse strategy takes every layer from the store.
    await expect.poll(() => summary.textContent(), { timeout: 60_000 }).toMatch(/\(\d+ reused from your store\) and 1 of links to the packages; a build writes 0 B$/);
    const table = page.locator('.strategy-table');
    expect(await table.locator('thead th').allTextContents()).toEqual(['Strategy', 'Layers', 'A build writes', 'Shared with your other images', 'Largest layer', 'Choose']);
    const rows = table.locator('tbody tr');
    expect(await rows.locator('th').allTextContents()).toEqual(['reuse', 'nixery', 'nixery-faithful', 'popularity', 'single']);
    const cells = async (strategy: string): Promise<string[]> => rows.filter({ has: page.locator('th', { hasText: new RegExp(`^${strategy}$`) }) }).locator('td').allTextContents();
    expect((await cells('reuse')).slice(1, 3)).toEqual(['0 B', expect.stringMatching(/^[\d.]+ MiB$/)]);
    // One layer holding everything exists in no image yet: single would write it all.
    expect((await cells('single'))[1]).toMatch(/^[\d.]+ MiB$/);
    const badges = await page.locator('.layer-legend .badge').allTextContents();
    expect(new Set(badges)).toEqual(new Set(['reused']));
    expect(await page.locator('.layer-legend .layer-legend-why').first().textContent()).toMatch(/^Reused from image bash-gzip(-sed)?( and \d+ more)?: nothing to write\.$/);
    await shoot(page, 'plan-reuse');

    // One more package: its new paths get layers of their own, the rest is still reused.
    await clickAt(page, nav('Compose'));
    await addPackage('grep');
    await clickAt(page, nav('Plan'));
    await expect.poll(() => summary.textContent(), { timeout: 60_000 }).toMatch(/; a build writes [\d.]+ (KiB|MiB)$/);
    const after = await page.locator('.layer-legend > li .badge').allTextContents();
    expect(after).toContain('reused');
    expect(after).toContain('new');
    const whys = await page.locator('.layer-legend > li:has(.badge:text-is("new")) .layer-legend-why').allTextContents();
    expect(whys.length).toBeGreaterThan(0);
    for (const why of whys) expect(why).not.toMatch(/^Reused/);
    const reuseWrites = (await cells('reuse'))[1]!;
    const nixeryWrites = (await cells('nixery'))[1]!;
    const bytes = (text: string): number => parseFloat(text) * (text.endsWith('MiB') ? 1024 * 1024 : text.endsWith('KiB') ? 1024 : 1);
    expect(bytes(reuseWrites)).toBeLessThanOrEqual(bytes(nixeryWrites));
    await shoot(page, 'plan-one-more');
    await clickAt(page, nav('Compose'));
    await clickAt(page, page.getByRole('button', { name: 'Remove grep' }));
  });

  it('refuses an entrypoint the image does not hold before writing a layer, unless it is a base image (point 2)', async () => {
    await clickAt(page, nav('Compose'));
    const entrypoint = page.getByLabel('Entrypoint', { exact: true });
    await entrypoint.click();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('/usr/bin/git');
    await clickAt(page, nav('Build'));
    await clickAt(page, page.getByRole('button', { name: 'Build the recipe as it is now' }));
    await expect.poll(() => buildBadge().textContent(), { timeout: 90_000 }).toBe('Failed');
    expect(await page.locator('.flow-job [role=alert]').first().textContent()).toContain(`the image's entrypoint "/usr/bin/git" is not an executable file in the image`);
    expect(await page.locator('.layer-rows li').count()).toBe(0);
    await shoot(page, 'entrypoint-refused');

    await clickAt(page, nav('Compose'));
    await clickAt(page, page.getByLabel(/A base image/));
    await clickAt(page, nav('Build'));
    await clickAt(page, page.getByRole('button', { name: 'Build the recipe as it is now' }));
    await expect.poll(() => buildBadge().textContent(), { timeout: 90_000 }).toBe('Succeeded');

    await clickAt(page, nav('Compose'));
    await clickAt(page, page.getByLabel(/A base image/));
    await entrypoint.click();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.press('Backspace');
  });

  it('Images names layers by what they hold and sorts the store paths (points 3, 10)', async () => {
    await clickAt(page, nav('Images'));
    await clickAt(page, page.getByRole('list', { name: 'Images in the local store' }).getByRole('button', { name: /^bash-gzip-sed\b/ }).first());
    await clickAt(page, page.getByRole('tab', { name: 'Layers' }));
    const holds = await page.getByRole('table', { name: 'Layers' }).locator('tbody td.images-made-by').allTextContents();
    // The image's own top-level packages, in the order the image records them.
    expect(holds.at(-1)).toMatch(/^links to (bash|gzip|sed), (bash|gzip|sed), (bash|gzip|sed)$/);
    // Every layer is named by what it holds, none by the tool that made it.
    for (const held of holds) expect(held).not.toMatch(/^lamina\b/);
    await clickAt(page, page.getByRole('tab', { name: 'Store paths' }));
    const sizes = async (): Promise<string[]> => page.getByRole('table', { name: 'Store paths' }).locator('[role=row] [role=cell]:nth-child(1)').allTextContents();
    await expect.poll(async () => (await sizes()).length).toBeGreaterThan(3);
    await clickAt(page, page.getByRole('button', { name: 'Store path' }));
    const byName = await sizes();
    expect(byName).toEqual([...byName].sort((a, b) => a.localeCompare(b)));
    await clickAt(page, page.getByRole('button', { name: 'Size' }));
    // Sorted by size: the size column in order (one way or the other), the names no longer by name.
    const bytes = async (): Promise<number[]> =>
      (await page.getByRole('table', { name: 'Store paths' }).locator('[role=row] [role=cell]:nth-child(2)').allTextContents()).map(parseSize);
    await expect.poll(sizes).not.toEqual(byName);
    const bySize = await bytes();
    const ascending = [...bySize].sort((a, b) => a - b);
    expect([ascending, [...ascending].reverse()]).toContainEqual(bySize);
    const layerCells = await page.getByRole('table', { name: 'Store paths' }).locator('[role=row] [role=cell]:nth-child(3)').allTextContents();
    expect(layerCells.length).toBeGreaterThan(3);
    for (const cell of layerCells) expect(cell).toMatch(/^\d+ [a-z]/);
    await shoot(page, 'images-store-paths', ['light']);
  });

  it('a cancelled build looks cancelled: no layer left writing, and the log says so (point 7)', async () => {
    // One package with a large incompressible file, so its layer is still being written when Cancel is clicked.
    const slow = writeThrowawaySet({ blob: 'mkdir -p $out/bin && head -c 200000000 /dev/urandom > $out/blob && cp /bin/true $out/bin/true' });
    await loadSource(slow);
    const removes = page.getByRole('button', { name: /^Remove / });
    while ((await removes.count()) > 0) await clickAt(page, removes.first());
    await addPackage('blob');
    await clickAt(page, nav('Build'));
    await clickAt(page, page.getByRole('button', { name: 'Build the recipe as it is now' }));
    await expect.poll(() => page.locator('.layer-rows .badge', { hasText: 'writing' }).count(), { timeout: 120_000 }).toBeGreaterThan(0);
    await clickAt(page, page.getByRole('button', { name: 'Cancel build' }));
    await expect.poll(() => buildBadge().textContent(), { timeout: 60_000 }).toBe('Cancelled');
    const badges = await page.locator('.layer-rows .badge').allTextContents();
    expect(badges).not.toContain('writing');
    expect(badges).toContain('not written');
    expect(await page.locator('.layer-rows progress').count()).toBe(0);
    expect(await page.locator('#layers-title').textContent()).toMatch(/done when the build was cancelled/);
    await page.getByLabel('Search the log').fill('Cancelled');
    await expect.poll(() => page.getByRole('log', { name: 'Build log' }).locator('.log-text').allTextContents()).toEqual(['Cancelled: cancelled by the user']);
    await page.getByLabel('Search the log').fill('');
    await shoot(page, 'build-cancelled');
  });

  it('Jobs: nothing clipped at 1024 px, and its form starts from the recipe (points 8, 10)', async () => {
    await clickAt(page, nav('Jobs'));
    expect(await page.getByLabel('Package source').inputValue()).not.toBe('');
    await clickAt(page, page.locator('.job-row', { hasText: 'image bash gzip sed' }).first());
    await expect.poll(() => page.locator('.job-detail .result').count()).toBe(1);
    await shoot(page, 'jobs');
    await page.setViewportSize(SIZES[1]);
    const overflow = await page.locator('.jobs-detail-pane').evaluate((el) => el.scrollWidth - el.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const manifest = (await page.locator('.job-detail .result code').first().boundingBox())!;
    const pane = (await page.locator('.jobs-detail-pane').boundingBox())!;
    expect(manifest.x + manifest.width).toBeLessThanOrEqual(pane.x + pane.width);
    await page.setViewportSize(SIZES[0]);
  });

  it('Cache gc says what it removes in words, keeps the newest image unless asked, and asks before it deletes (point 9)', async () => {
    await clickAt(page, nav('Cache'));
    await page.getByLabel('Keep at most (MiB)').click();
    await page.keyboard.type('0');
    await page.keyboard.press('Enter');
    const summary = page.getByTestId('gc-preview-summary');
    await expect.poll(() => summary.textContent()).toMatch(/^Removes the images? .* and \d+ layers? no remaining image uses.*, freeing [\d.]+ (KiB|MiB): the cache goes from .* to .*\.$/);
    // bash-gzip-sed was built last (the cancelled build made no image).
    expect(await summary.textContent()).toMatch(/^Removes the image bash-gzip and /);
    expect(await page.getByTestId('gc-kept').textContent()).toMatch(/^Keeps .+, the newest image, so the cache stays at .*, over the 0 B asked for\./);
    const remove = page.getByRole('button', { name: /^Remove \d+ blobs and \d+ images?…$/ });
    expect(await remove.evaluate((el) => el.className)).toContain('danger');
    expect(await remove.evaluate((el) => el.className)).not.toContain('primary');
    await shoot(page, 'gc-preview');

    // The first click only asks; "Keep them" (focused first) removes nothing.
    await clickAt(page, remove);
    const confirm = page.getByRole('group', { name: 'Confirm removal' });
    await expect.poll(() => confirm.textContent()).toMatch(/^Delete \d+ blobs and \d+ images? for good\?/);
    expect(await page.locator(':focus').textContent()).toBe('Keep them');
    await confirm.scrollIntoViewIfNeeded();
    await shoot(page, 'gc-confirm');
    await page.keyboard.press('Enter');
    await expect.poll(() => confirm.count()).toBe(0);
    expect(await page.getByRole('status').filter({ hasText: 'Removed' }).count()).toBe(0);

    await clickAt(page, remove);
    await clickAt(page, page.getByRole('button', { name: /^Yes, remove/ }));
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Removed' }).textContent()).toMatch(/^Removed \d+ blobs and the images /);
    await expect.poll(() => page.getByTestId('cache-images').textContent()).toBe('1');
  });

  it('the small ones: one way to say TLS, no literal backticks (point 10)', async () => {
    await clickAt(page, nav('Push'));
    expect(await page.getByLabel(/^Verify TLS certificates/).isChecked()).toBe(true);
    expect(await page.getByText('Plain HTTP or self-signed TLS').count()).toBe(0);
    await clickAt(page, nav('Images'));
    await clickAt(page, page.getByRole('tab', { name: 'Registry' }));
    expect(await page.getByLabel('Verify TLS certificates').isChecked()).toBe(true);
    await clickAt(page, nav('About'));
    await expect.poll(() => page.getByRole('main').textContent()).toContain('Shared with the lamina command');
    expect(await page.getByRole('main').textContent()).not.toContain('`');
    expect(browser.problems).toEqual([]);
  });
});
