import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { setBuildersSetting } from '../../src-main/engine/settings/nix-settings.js';
import { openEngineServices, type EngineServices } from '../../src-main/ipc/engine-services.js';
import { nixSystem, writeThrowawaySet } from '../nix/throwaway-set.js';

describe('the builders set in Settings', () => {
  let services: EngineServices | undefined;
  const saved = process.env.NIX_CONFIG;
  afterEach(async () => {
    process.env.NIX_CONFIG = saved;
    await services?.close();
  });

  it.each(['nix-build', 'image-build'] as const)('reach Nix in a %s job', async (kind) => {
    services = openEngineServices({ home: mkdtempSync(join(tmpdir(), 'lamina-builders-')) });
    setBuildersSetting(services.db, `ssh://lamina-settings-builder ${nixSystem()}`);
    // No local builds: Nix must try the builder from Settings, and its failure names it.
    process.env.NIX_CONFIG = `${saved ?? ''}\nmax-jobs = 0`;
    const source = writeThrowawaySet({ remote: 'mkdir $out' });
    const recipe = { strategy: 'nixery', maxLayers: 10, compression: 'gzip', config: {} };
    const input = kind === 'nix-build' ? { source, attrs: ['remote'] } : { source, attrs: ['remote'], ...recipe };
    const job = await services.runner.start(kind, input as never);
    const done = await services.runner.wait(job.id);
    expect(done.state).toBe('failed');
    expect(done.error).toMatch(/cannot build on 'ssh:\/\/lamina-settings-builder'/);
  });
});
