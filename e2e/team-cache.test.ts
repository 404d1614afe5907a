/**
 * The team cache in the app, in Chromium against `lamina serve`: a registry's
 * team cache set in Settings, a build from the Build view for that registry
 * taking every layer from it (filled by another machine, a CLI build in another
 * data dir), its layers marked "from the team cache", and the Cache view's
 * hit-rate chart showing the team part.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freshHome, runCli } from '../test/cli/run-cli.js';
import { startRegistry, type RunningRegistry } from '../test/registry/servers/registry-server.js';
import { connectEngine, type EngineClient } from './engine-client.js';
import { openBrowser, SHOTS, startServe, type ServeProcess } from './serve-session.js';

describe('the team cache in the app', () => {
  const home = mkdtempSync(join(tmpdir(), 'lamina-e2e-team-'));
  let registry: RunningRegistry;
  let serve: ServeProcess;
  let engine: EngineClient;
  let context: BrowserContext;
  let page: Page;
  const nav = (label: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: label, exact: true });

  beforeAll(async () => {
    registry = await startRegistry();
    // Another machine fills the team cache.
    const filled = await runCli(['build', 'bash', 'gzip', '--source', inject('testbedDir'), '--cache-to', `docker://${registry.host}/team/app`, '--json'], { LAMINA_HOME: freshHome() });
    expect(filled.code, filled.stderr).toBe(0);
    serve = await startServe(home);
    engine = connectEngine(serve.url);
    ({ context, page } = await openBrowser());
  });

  afterAll(async () => {
    engine?.close();
    await context?.close();
    await serve?.stop();
    await registry?.stop();
  });

  it('sets a registry’s team cache in Settings', async () => {
    await engine.api.request('registries:save', { host: registry.host, username: 'ci', secret: 'unused', keep: 'session', tlsVerify: false });
    await page.goto(serve.url);
    await nav('Settings').click();
    const field = page.getByLabel(`Team cache of ${registry.host}`, { exact: true });
    await field.fill('docker://elsewhere.example/cache');
    await page.getByRole('button', { name: `Save the team cache of ${registry.host}` }).click();
    await expect.poll(() => page.locator('.team-cache-cell [role=alert]').textContent()).toMatch(/must be on/);
    await field.fill(`${registry.host}/team/app`);
    await page.getByRole('button', { name: `Save the team cache of ${registry.host}` }).click();
    const reference = `docker://${registry.host}/team/app:cache`;
    await expect.poll(async () => (await engine.api.request('registries:list', {}))[0]?.teamCache).toBe(reference);
    await expect.poll(() => field.inputValue()).toBe(reference);
  });

  it('builds from the Build view with that team cache: every layer from the team cache, shown apart in the Cache view', async () => {
    const recipe = await engine.api.request('recipes:save', { name: 'team', body: { source: inject('testbedDir'), attrs: ['bash', 'gzip'] } });
    await nav('Compose').click();
    await page.getByRole('button', { name: `Open ${recipe.name}` }).click();
    await nav('Build').click();
    await page.getByRole('combobox', { name: /^Team cache/ }).selectOption(registry.host);
    await page.getByRole('button', { name: 'Build image' }).click();
    await expect.poll(() => page.getByTestId('built-image').count(), { timeout: 120_000 }).toBe(1);
    expect(new Set(await page.locator('.layer-rows .badge').allTextContents())).toEqual(new Set(['from the team cache']));
    await page.screenshot({ path: join(SHOTS, 'build-team-cache.png'), fullPage: true });

    await nav('Cache').click();
    const chart = page.getByRole('img', { name: /Cache hit rate per build/ });
    await expect.poll(() => chart.getAttribute('aria-label')).toBe('Cache hit rate per build: 1 build; 100% of layer bytes came from the cache overall (100% from a team cache)');
    expect(await chart.locator('rect.hit-bar-team').count()).toBe(1);
    await page.screenshot({ path: join(SHOTS, 'cache-team.png'), fullPage: true });
  });
});
