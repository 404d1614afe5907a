/**
 * The pull registry switch in Settings, in Chromium against `lamina serve`: a
 * default source is saved, the switch starts the registry in the engine's
 * process and shows its address, skopeo pulls an image built on demand from it
 * (an image-build job like any other), and the switch stops it again.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectEngine, type EngineClient } from './engine-client.js';
import { openBrowser, startServe, type ServeProcess } from './serve-session.js';

const run = promisify(execFile);

async function skopeoInspect(reference: string): Promise<{ ok: boolean; text: string }> {
  try {
    const { stdout } = await run('skopeo', ['inspect', '--tls-verify=false', reference]);
    return { ok: true, text: stdout };
  } catch (err) {
    return { ok: false, text: (err as { stderr: string }).stderr };
  }
}

describe('Settings: the pull registry', () => {
  const home = mkdtempSync(join(tmpdir(), 'lamina-e2e-pull-'));
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

  it('starts from the switch, serves images built on demand at the address it shows, and stops', async () => {
    await page.goto(serve.url);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
    const section = page.getByRole('region', { name: 'Pull registry' });
    await section.getByTestId('pull-registry-source').fill(inject('testbedDir'));
    await section.getByRole('button', { name: 'Save source' }).click();
    await expect.poll(async () => (await engine.api.request('pull-registry:status', {})).source).toBe(inject('testbedDir'));

    const toggle = section.getByRole('switch');
    expect(await toggle.isChecked()).toBe(false);
    // The switch turns on when the engine says the registry runs, not at the click.
    await toggle.click();
    await expect.poll(() => toggle.isChecked()).toBe(true);
    const address = section.getByTestId('pull-registry-address');
    await address.waitFor();
    const shown = (await address.textContent())!;
    expect(shown).toMatch(/^127\.0\.0\.1:\d+$/);

    const pulled = await skopeoInspect(`docker://${shown}/bash:latest`);
    expect(pulled.ok, pulled.text).toBe(true);
    const jobs = await engine.api.request('jobs:list', { limit: 10 });
    expect(jobs.filter((j) => j.kind === 'image-build').map((j) => [j.title, j.state])).toEqual([['image bash', 'succeeded']]);

    await toggle.click();
    await expect.poll(() => toggle.isChecked()).toBe(false);
    await address.waitFor({ state: 'detached' });
    const after = await skopeoInspect(`docker://${shown}/bash:latest`);
    expect(after.ok).toBe(false);
    expect(after.text).toMatch(/connection refused/);
    expect(problems).toEqual([]);
  });
});
