/**
 * The Compose and Plan previews plan as a build does: Nix is asked on the
 * builders set in Settings, and the plan shown is the plan a build then makes,
 * layer for layer, with the same layers taken from the store. Requests go
 * through the contract as the UI sends them (dispatch validates them first).
 */
import { afterEach, describe, expect, inject, it } from 'vitest';
import { layerKey } from '../../src-main/engine/layering/index.js';
import type { ImageBuildResult } from '../../src-main/engine/jobs/kinds/image-build.js';
import { dispatch } from '../../src-main/ipc/dispatch.js';
import { openEngineServices, type EngineServices } from '../../src-main/ipc/engine-services.js';
import { setBuildersSetting } from '../../src-main/engine/settings/nix-settings.js';
import type { z } from 'zod';
import type { jobInputs, RequestChannel, RequestInput, RequestResult } from '../../src-shared/ipc/contract.js';
import type { PlanView } from '../../src-shared/plan.js';
import { STRATEGY_NAMES } from '../../src-shared/strategies.js';
import { nixSystem, wrappedNix, writeThrowawaySet } from '../nix/throwaway-set.js';
import { tempDir } from './helpers.js';

type Reply<C extends RequestChannel> = { result: RequestResult<C> } | { error: { message: string; code: string } };

async function ask<C extends RequestChannel>(services: EngineServices, channel: C, input: RequestInput<C>): Promise<Reply<C>> {
  return (await dispatch(services.handlers, channel, input)) as Reply<C>;
}

async function answer<C extends RequestChannel>(services: EngineServices, channel: C, input: RequestInput<C>): Promise<RequestResult<C>> {
  const reply = await ask(services, channel, input);
  if ('error' in reply) throw new Error(`${channel} answered an error: ${reply.error.message}`);
  return reply.result;
}

/** An image-build job started as the Build view starts one; its result, or its error when it failed. */
async function build(services: EngineServices, input: z.input<(typeof jobInputs)['image-build']>): Promise<{ result?: ImageBuildResult; error?: string }> {
  const job = await answer(services, 'jobs:start', { kind: 'image-build', input });
  const done = await services.runner.wait(job.id);
  return done.state === 'succeeded' ? { result: done.result as ImageBuildResult } : { error: done.error ?? done.state };
}

/** The keys of the store-path layers, in image order, as `lamina plan --json` and a build's result name them. */
function previewKeys(view: PlanView): string[] {
  return view.layers.map((layer) => layerKey(layer.paths));
}

function builtKeys(result: ImageBuildResult): (string | null)[] {
  return result.layers.filter((layer) => layer.planKey !== null).map((layer) => layer.planKey);
}

describe('the Compose and Plan previews', () => {
  let services: EngineServices | undefined;
  const savedNixConfig = process.env.NIX_CONFIG;
  afterEach(async () => {
    process.env.NIX_CONFIG = savedNixConfig;
    await services?.close();
    services = undefined;
  });

  it('ask Nix on the builders set in Settings, as an image build does', async () => {
    services = openEngineServices({ home: tempDir('preview-builders') });
    setBuildersSetting(services.db, `ssh://lamina-preview-builder ${nixSystem()}`);
    // No local builds: Nix must try the builder from Settings, and its failure names it.
    process.env.NIX_CONFIG = `${savedNixConfig ?? ''}\nmax-jobs = 0`;
    const source = writeThrowawaySet({ remote: 'mkdir $out' });
    const recipe = { source, attrs: ['remote'], strategy: 'nixery' as const, maxLayers: 10, compression: 'gzip' as const };
    const onTheBuilder = /cannot build on 'ssh:\/\/lamina-preview-builder'/;

    const built = await build(services, { ...recipe, config: {} });
    expect(built.error).toMatch(onTheBuilder);
    for (const reply of [
      await ask(services, 'compose:closure', { source, attrs: ['remote'] }),
      await ask(services, 'plan:view', recipe),
      await ask(services, 'plan:why', { source, attrs: ['remote'], path: '/nix/store/00000000000000000000000000000000-any' }),
    ]) {
      expect('error' in reply && reply.error.message).toMatch(onTheBuilder);
    }
  });

  it('show the plan a build then makes, layer for layer, and the same layers taken from the store', async () => {
    services = openEngineServices({ home: tempDir('preview-plan') });
    // A builders setting in place ('': build here), as the build and the preview both read it.
    setBuildersSetting(services.db, '');
    const base = { source: inject('testbedDir'), attrs: inject('testbedRoots'), compression: 'gzip' as const };

    const first = { ...base, strategy: 'nixery' as const, maxLayers: 5 };
    const before = await answer(services, 'plan:view', first);
    expect(before.strategies.map((s) => s.strategy)).toEqual([...STRATEGY_NAMES]);
    expect(before.layers.some((layer) => layer.cached)).toBe(false);
    const firstBuild = await build(services, { ...first, config: {} });
    expect(firstBuild.error).toBeUndefined();
    expect(builtKeys(firstBuild.result!)).toEqual(previewKeys(before));

    // reuse builds on the store's layers, which the first build just made: the preview must see them as the build will.
    const second = { ...base, strategy: 'reuse' as const, maxLayers: 12 };
    const preview = await answer(services, 'plan:view', second);
    expect(preview.layers.filter((layer) => layer.cached).length).toBeGreaterThan(0);
    const secondBuild = await build(services, { ...second, config: {} });
    expect(secondBuild.error).toBeUndefined();
    expect(builtKeys(secondBuild.result!)).toEqual(previewKeys(preview));
    const storeLayers = secondBuild.result!.layers.filter((layer) => layer.planKey !== null);
    expect(storeLayers.map((layer) => layer.cached)).toEqual(preview.layers.map((layer) => layer.cached));
  });

  it('read the closure of packages a build has described from what it kept: Nix builds, and is asked nothing more', async () => {
    services = openEngineServices({ home: tempDir('preview-known') });
    setBuildersSetting(services.db, '');
    const source = writeThrowawaySet({ tool: 'mkdir -p $out/bin; echo echo hi > $out/bin/tool' });
    const nix = wrappedNix(['nix-build', 'nix']);
    const savedPath = process.env.PATH;
    process.env.PATH = `${nix.dir}:${savedPath}`;
    try {
      expect((await build(services, { source, attrs: ['tool'], strategy: 'nixery', maxLayers: 10, compression: 'gzip', config: {} })).error).toBeUndefined();
      expect(nix.runs()).toEqual(['nix-build', 'nix']);
      const closure = await answer(services, 'compose:closure', { source, attrs: ['tool'] });
      expect(closure.paths).toBe(1);
      expect(nix.runs()).toEqual(['nix-build', 'nix', 'nix-build']);
    } finally {
      process.env.PATH = savedPath;
    }
  });

  it('are refused, as a build is, a strategy or a budget a build would refuse', async () => {
    services = openEngineServices({ home: tempDir('preview-refused') });
    const base = { source: inject('testbedDir'), attrs: inject('testbedRoots'), compression: 'gzip' as const };
    const unknown = await ask(services, 'plan:view', { ...base, strategy: 'random' as never, maxLayers: 10 });
    expect(unknown).toEqual({ error: { code: 'invalid-input', message: `strategy: unknown layering strategy; use one of ${STRATEGY_NAMES.join(', ')}` } });
    const tooMany = await ask(services, 'plan:view', { ...base, strategy: 'nixery', maxLayers: 128 });
    expect(tooMany).toEqual({ error: { code: 'bad-recipe', message: 'max layers must be a whole number from 2 to 127, got 128' } });
    const tooManyBuild = await build(services, { ...base, strategy: 'nixery', maxLayers: 128, config: {} });
    expect(tooManyBuild.error).toBe('max layers must be a whole number from 2 to 127, got 128');
  });
});
