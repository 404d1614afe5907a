/**
 * Compose and Plan in the browser, on what a person does between the steps of the
 * flow: changing the package source, opening a saved recipe, reloading the page,
 * reading the closure graph when it opens, and mistyping the layer limit. Real
 * `lamina serve`, real Nix builds of the test package set; screenshots of Compose
 * and Plan, light and dark, go to test-results/.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openBrowser, SHOTS, startServe, type BrowserSession, type ServeProcess } from './serve-session.js';

async function shoot(page: Page, name: string): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 1300 });
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: join(SHOTS, `compose-plan-${name}-${scheme}.png`), fullPage: true });
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 800 });
}

describe('Compose and Plan keep to the current source, recipe and settings', () => {
  const smallSet = inject('testbedDir');
  const packages = Object.keys(inject('testbedOutPaths')).length;
  // A second package source: the same packages behind another folder, so the engine indexes it apart.
  const otherSet = mkdtempSync(join(tmpdir(), 'lamina-e2e-other-source-'));
  writeFileSync(join(otherSet, 'default.nix'), `import ${smallSet}\n`);
  let serve: ServeProcess;
  let browser: BrowserSession;
  let page: Page;

  beforeAll(async () => {
    serve = await startServe(mkdtempSync(join(tmpdir(), 'lamina-e2e-compose-plan-')));
    browser = await openBrowser();
    page = browser.page;
  });

  afterAll(async () => {
    await browser?.context.close();
    await serve?.stop();
  });

  const nav = (label: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: label, exact: true });
  const source = () => page.getByLabel('Package source');
  const search = () => page.getByLabel('Search packages');
  const indexStatus = () => page.getByTestId('index-status');
  const closureSize = () => page.getByTestId('closure-size');

  it('forgets the old source’s index, hits and closure when the source changes, and knows an indexed one at once', async () => {
    await page.goto(serve.url);
    await expect.poll(() => page.locator('.engine-status').textContent()).toContain('Engine ready');
    await nav('Compose').click();
    await source().fill(smallSet);
    await page.getByRole('button', { name: 'Load packages' }).click();
    await expect.poll(() => indexStatus().textContent(), { timeout: 60_000 }).toBe(`${packages} packages indexed from ${smallSet}`);
    await search().fill('bash');
    await page.getByRole('button', { name: 'Add bash' }).click();
    await expect.poll(() => closureSize().textContent(), { timeout: 60_000 }).toMatch(/^Closure: \d+ store paths/);

    await source().fill(otherSet);
    await expect.poll(() => search().isDisabled()).toBe(true);
    expect(await indexStatus().count()).toBe(0);
    expect(await page.getByRole('option').count()).toBe(0);
    expect(await page.getByRole('listbox', { name: 'Matching packages' }).textContent()).toBe('Search opens once the packages of this source are loaded.');
    expect(await closureSize().textContent()).toBe('Load the packages of this source to size the closure.');
    await shoot(page, 'compose-new-source');

    // Loading the other source: while it runs and after, nothing of the first source comes back.
    await page.getByRole('button', { name: 'Load packages' }).click();
    await expect.poll(() => indexStatus().textContent(), { timeout: 60_000 }).toBe(`${packages} packages indexed from ${otherSet}`);
    await expect.poll(() => search().isDisabled()).toBe(false);
    await search().fill('gzip');
    await expect.poll(() => page.getByRole('option').first().textContent()).toContain('gzip');
    expect(await page.getByRole('alert').count()).toBe(0);
    await expect.poll(() => closureSize().textContent(), { timeout: 60_000 }).toMatch(/^Closure: \d+ store paths/);

    // Back to the first source: indexed before, so searchable without pressing Load.
    await source().fill(smallSet);
    await expect.poll(() => indexStatus().textContent()).toBe(`${packages} packages indexed from ${smallSet}`);
    await expect.poll(() => search().isDisabled()).toBe(false);
    await expect.poll(() => page.getByRole('option').first().textContent()).toContain('gzip');
    await expect.poll(() => closureSize().textContent(), { timeout: 60_000 }).toMatch(/^Closure: \d+ store paths/);
  });

  it('opens a saved recipe of an indexed source ready to search', async () => {
    await page.getByRole('button', { name: 'Add gzip' }).click();
    await page.getByLabel('Recipe name').fill('tools');
    await page.getByRole('button', { name: 'Save recipe' }).click();
    await expect.poll(() => page.getByRole('list', { name: 'Saved recipes' }).textContent()).toContain('tools');

    await source().fill('');
    await expect.poll(() => search().isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Open tools' }).click();
    await expect.poll(() => source().inputValue()).toBe(smallSet);
    await expect.poll(() => search().isDisabled()).toBe(false);
    expect(await indexStatus().textContent()).toBe(`${packages} packages indexed from ${smallSet}`);
    await expect.poll(() => closureSize().textContent(), { timeout: 60_000 }).toMatch(/^Closure: \d+ store paths/);
    await search().fill('');
    await shoot(page, 'compose');
  });

  it('numbers layers from 1 and opens the closure graph with its labels readable', async () => {
    await nav('Plan').click();
    await page.getByLabel('Max layers').fill('3');
    await expect.poll(() => page.getByTestId('plan-summary').textContent(), { timeout: 60_000 }).toMatch(/^\d+ layers for \d+ store paths/);
    const layers = Number((await page.getByTestId('plan-summary').textContent())!.split(' ')[0]);
    // The summary counts the links layer as Build does; the legend names each layer by what it holds, the links layer last.
    expect(await page.locator('.layer-legend > li .layer-legend-name').allTextContents()).toEqual(
      Array.from({ length: layers }, (_, i) => expect.stringMatching(new RegExp(`^Layer ${i + 1}: ${i === layers - 1 ? 'links to ' : ''}[a-z]`))),
    );

    const graph = page.locator('.closure-graph');
    // The whole graph opens in view; bash's name is readable either on its node or, when the graph is drawn small, as a label of its own.
    // Laid out (in a worker) and fitted to its box first.
    await expect.poll(() => graph.locator('svg > g').getAttribute('transform')).not.toBeNull();
    const far = (await graph.getAttribute('data-far')) !== null;
    const label = far ? graph.locator('.graph-far-label', { hasText: /^bash-/ }) : graph.locator('.graph-node', { hasText: /^bash-/ }).locator('text').first();
    await expect.poll(() => label.isVisible()).toBe(true);
    // Readable: the name is drawn at least 8 px tall on screen, and says which layer (from 1) it is in.
    const box = (await label.boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(8);
    expect(await graph.locator('.graph-node', { hasText: /^bash-/ }).locator('.graph-size').textContent()).toMatch(/ · L[1-3]$/);
    await shoot(page, 'plan');
  });

  it('marks the plan shown as out of date while Max layers is invalid, in words', async () => {
    const summary = page.getByTestId('plan-summary');
    const layers = (await summary.textContent())!.split(' ')[0];
    await page.getByLabel('Max layers').fill('1');
    await expect.poll(() => page.locator('.plan-controls [role=alert]').textContent(), { timeout: 30_000 }).toMatch(/layer/i);
    expect(await summary.textContent()).toBe('No plan for these settings');
    expect(await page.getByTestId('plan-stale').textContent()).toBe(`Out of date: below is the last plan made, ${layers} layers at max 3 with reuse, not one for the settings above.`);
    await shoot(page, 'plan-stale');

    await page.getByLabel('Max layers').fill('4');
    await expect.poll(() => summary.textContent(), { timeout: 60_000 }).toMatch(/^\d+ layers for \d+ store paths/);
    expect(await page.getByTestId('plan-stale').count()).toBe(0);
    expect(await page.locator('.plan-controls [role=alert]').count()).toBe(0);
  });

  it('keeps the recipe and its last build across a reload of the tab', async () => {
    await nav('Build').click();
    await page.getByRole('button', { name: 'Build image' }).click();
    await expect.poll(() => page.locator('.flow-job .badge').textContent(), { timeout: 90_000 }).toBe('Succeeded');
    const built = (await page.getByTestId('built-image').textContent())!;
    expect(built).toMatch(/^Image bash-gzip sha256:[0-9a-f]{64}/);

    await page.reload();
    await expect.poll(() => page.locator('.engine-status').textContent()).toContain('Engine ready');
    await nav('Build').click();
    await expect.poll(() => page.getByTestId('built-image').textContent()).toBe(built);
    await nav('Push').click();
    await expect.poll(() => page.getByLabel('Image').inputValue()).toBe('bash-gzip');
    await nav('Compose').click();
    expect(await source().inputValue()).toBe(smallSet);
    expect(await page.getByRole('button', { name: /^Remove / }).allTextContents()).toHaveLength(2);
    expect(await page.getByLabel('Recipe name').inputValue()).toBe('tools');
    await expect.poll(() => search().isDisabled()).toBe(false);
    await nav('Plan').click();
    await expect.poll(() => page.getByTestId('plan-summary').textContent(), { timeout: 60_000 }).toMatch(/^\d+ layers for \d+ store paths/);
    expect(await page.getByLabel('Max layers').inputValue()).toBe('4');
  });

  it('ran without console errors, CSP violations or failed requests', () => {
    expect(browser.problems).toEqual([]);
  });
});
