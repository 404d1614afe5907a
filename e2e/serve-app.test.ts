/**
 * The app end to end, as a user gets it from `lamina serve`: the built CLI as a
 * child process with a fresh data dir, Debian's Chromium driven by playwright,
 * and the real engine behind the page (Nix builds of the generated package set).
 * Screenshots land in test-results/ to be looked at.
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freshDerivations } from '../test/ipc/nix-fixtures.js';
import { openBrowser, SHOTS, startServe } from './serve-session.js';

describe('lamina serve in Chromium', () => {
  const home = mkdtempSync(join(tmpdir(), 'lamina-e2e-home-'));
  let server: ChildProcess;
  let url: string;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    const serve = await startServe(home);
    server = serve.server;
    url = serve.url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{43}$/);
    ({ context, page, problems } = await openBrowser());
  });

  afterAll(async () => {
    await context?.close();
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await once(server, 'exit');
    }
  });

  it('opens the shell from the printed URL and hides the token from the address bar', async () => {
    await page.goto(url);
    expect(new URL(page.url()).search).toBe('');
    await expect.poll(() => page.locator('.engine-status').textContent()).toContain('Engine ready');
    await expect.poll(() => page.getByRole('navigation', { name: 'Main' }).getByRole('button').allTextContents()).toEqual(['Compose', 'Plan', 'Build', 'Push', 'Jobs', 'Images', 'Cache', 'Settings', 'About']);
  });

  it('shows real engine facts: a request round-trips to the engine', async () => {
    const about = page.getByRole('button', { name: 'About' });
    await about.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('nix-version').textContent()).toMatch(/^nix \(Nix\) 2\.\d+/);
    expect(await page.getByTestId('data-dir').textContent()).toBe(home);
    await page.screenshot({ path: join(SHOTS, 'serve-about-light.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: join(SHOTS, 'serve-about-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('starts a Nix build of the test package set and streams its log into the page', async () => {
    const roots = inject('testbedRoots');
    const outPaths = inject('testbedOutPaths');
    await page.getByRole('button', { name: 'Jobs' }).click();
    await page.getByLabel('What to build').selectOption('nix-build');
    await page.getByLabel('Package source').fill(inject('testbedDir'));
    await page.getByLabel('Attributes').fill(roots.join(' '));
    await page.getByRole('button', { name: 'Start build' }).click();

    const detail = page.locator('.job-detail');
    await expect.poll(() => detail.getByRole('heading').textContent()).toBe(`#1 nix build ${roots.join(' ')}`);
    await expect.poll(() => detail.locator('.badge').textContent(), { timeout: 60_000 }).toBe('Succeeded');
    const log = page.getByRole('log', { name: 'Job log' });
    await expect.poll(() => log.textContent()).toContain(`bash -> ${outPaths.bash}`);
    expect(await detail.getByText(`Built ${roots.length} store paths`).isVisible()).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'serve-jobs-testbed.png') });
  });

  it("shows a fresh build's own output as Nix prints it, and cancels a build from the page", async () => {
    const { dir, nonce } = freshDerivations();
    await page.getByLabel('Package source').fill(dir);
    await page.getByLabel('Attributes').fill('chatty');
    await page.getByRole('button', { name: 'Start build' }).click();
    const log = page.getByRole('log', { name: 'Job log' });
    await expect.poll(() => log.textContent(), { timeout: 60_000 }).toContain(`line 3 of ${nonce}`);
    await expect.poll(() => page.locator('.job-detail .badge').textContent(), { timeout: 60_000 }).toBe('Succeeded');

    await page.getByLabel('Attributes').fill('slow');
    await page.getByRole('button', { name: 'Start build' }).click();
    await expect.poll(() => log.textContent(), { timeout: 60_000 }).toContain(`sleeping ${nonce}`);
    await page.screenshot({ path: join(SHOTS, 'serve-jobs-running.png') });
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => page.locator('.job-detail .badge').textContent(), { timeout: 30_000 }).toBe('Cancelled');
    expect(await page.locator('.job-list .badge').allTextContents()).toEqual(['Cancelled', 'Succeeded', 'Succeeded']);
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: join(SHOTS, 'serve-jobs-dark.png') });
  });

  it('keeps a long log virtualised and follows its end', async () => {
    const { dir, nonce } = freshDerivations();
    await page.getByLabel('Package source').fill(dir);
    await page.getByLabel('Attributes').fill('flood');
    await page.getByRole('button', { name: 'Start build' }).click();
    await expect.poll(() => page.locator('.job-detail .badge').textContent(), { timeout: 90_000 }).toBe('Succeeded');
    const log = page.getByRole('log', { name: 'Job log' });
    await expect.poll(() => log.textContent(), { timeout: 30_000 }).toContain(`flood 20000 of ${nonce}`);
    // 20,000 lines, but only the rows in view (and a few around) exist in the page.
    expect(await log.locator('.log-line').count()).toBeLessThan(100);
    await page.screenshot({ path: join(SHOTS, 'serve-jobs-long-log.png') });
  });

  it('builds a container image of the test package set as a job, with layer progress', async () => {
    const roots = inject('testbedRoots');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.getByLabel('What to build').selectOption('image-build');
    await page.getByLabel('Package source').fill(inject('testbedDir'));
    await page.getByLabel('Attributes').fill(roots.join(' '));
    await page.getByRole('button', { name: 'Start build' }).click();
    const detail = page.locator('.job-detail');
    await expect.poll(() => detail.getByRole('heading').textContent()).toBe(`#5 image ${roots.join(' ')}`);
    await expect.poll(() => detail.locator('.badge').textContent(), { timeout: 90_000 }).toBe('Succeeded');
    expect(await detail.getByText(`Image ${roots.join('-')}`).isVisible()).toBe(true);
    expect(await detail.locator('.result code').textContent()).toMatch(/^sha256:[0-9a-f]{64}$/);
    const progress = detail.getByRole('progressbar', { name: 'Progress of job 5' });
    expect(Number(await progress.getAttribute('value'))).toBeGreaterThan(0);
    expect(await progress.getAttribute('value')).toBe(await progress.getAttribute('max'));
    await expect.poll(() => page.getByRole('log', { name: 'Job log' }).textContent()).toMatch(/Planned \d+ layers for \d+ store paths/);
    await page.screenshot({ path: join(SHOTS, 'serve-jobs-image.png') });
  });

  it('says what is wrong when a build cannot start, in the form', async () => {
    await page.getByLabel('Attributes').fill('');
    await page.getByRole('button', { name: 'Start build' }).click();
    await expect.poll(() => page.locator('.build-form [role=alert]').textContent()).toBe('attrs: name at least one attribute to build, e.g. bash');
  });

  it('ran without console errors, CSP violations or failed requests', () => {
    expect(problems).toEqual([]);
  });

  it('stops cleanly on SIGTERM, and the page says it lost the engine', async () => {
    server.kill('SIGTERM');
    const [code] = (await once(server, 'exit')) as [number | null];
    expect(code).toBe(0);
    await expect.poll(() => page.locator('.engine-status').textContent()).toContain('Disconnected');
    await page.screenshot({ path: join(SHOTS, 'serve-disconnected.png') });
  });
});
