/**
 * The Images views' channels on real images: the suite's build in the store,
 * its copy pushed to a registry (browsed by catalog and tags) and written to an
 * OCI layout; opened with progress, looked into, compared and closed; and an
 * open held up by a stalled registry, cancelled.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import type { OpenedImage } from '../../src-shared/images.js';
import { startFaultProxy } from '../registry/servers/fault-proxy.js';
import { gzipLayer, sha256, tarOf, writeLayout } from '../inspect/fixtures/crafted-layout.js';
import { BUILT_IMAGE, PUSHED_REPOSITORY, PUSHED_TAG, type ContractSession } from './contract-session.js';

const PLATFORM = `linux/${process.arch === 'x64' ? 'amd64' : process.arch}`;
const baseName = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

export function imagesContract(s: ContractSession): void {
  describe('images', () => {
    it('lists the built image in the store, opens it and shows its layers as trees and a treemap', async () => {
      const { result } = await s.image();
      const bash = inject('testbedOutPaths').bash!;
      const stored = await s.ok('images:store', {});
      expect(stored.find((i) => i.name === BUILT_IMAGE)).toMatchObject({ manifestDigest: result.manifestDigest, ref: `oci:${s.home}:${BUILT_IMAGE}` });

      const opened = await s.ok('images:open', { ref: `oci:${s.home}:${BUILT_IMAGE}` });
      expect(opened.manifestDigest).toBe(result.manifestDigest);
      expect(opened.layers.map((l) => l.digest)).toEqual(result.layers.map((l) => l.digest));
      expect(opened.roots).toContain(bash);
      expect(opened.layers.length).toBeLessThanOrEqual(3); // maxLayers counts the image's own layer too

      // The layer holding bash shows its store path in the file tree.
      const layer = opened.layers.findIndex((l) => l.storePaths.includes(bash));
      const tree = await s.ok('images:tree', { id: opened.id, layer, sort: 'size' });
      expect(tree).toMatchObject({ path: '', kind: 'directory' });
      expect(JSON.stringify(tree)).toContain(`"path":"nix/store/${baseName(bash)}"`);
      const filtered = await s.ok('images:tree', { id: opened.id, layer, filter: 'no-such-file-anywhere' });
      expect(filtered.children).toEqual([]);

      const treemap = await s.ok('images:treemap', { id: opened.id });
      expect(treemap.children).toHaveLength(opened.layers.length);
      expect(treemap.size).toBe(treemap.children!.reduce((sum, c) => sum + c.size, 0));

      expect(await s.ok('images:close', { id: opened.id })).toEqual({ closed: true });
      expect(await s.ok('images:close', { id: opened.id })).toEqual({ closed: false });
      expect(await s.error('images:treemap', { id: opened.id })).toMatchObject({ code: 'image-closed' });
      expect(await s.error('images:tree', { id: opened.id, layer: -1 })).toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/^layer: /) });
    });

    it('pushes the image to a registry with a push job, then browses its catalog and tags', async () => {
      const { registry, push } = await s.registry();
      const { result } = await s.image();
      expect(push).toMatchObject({ reference: `${registry.host}/${PUSHED_REPOSITORY}:${PUSHED_TAG}`, digest: result.manifestDigest });
      expect(await s.ok('images:catalog', { registry: registry.host, tlsVerify: false })).toContain(PUSHED_REPOSITORY);
      expect(await s.ok('images:tags', { repository: `${registry.host}/${PUSHED_REPOSITORY}`, tlsVerify: false })).toEqual([PUSHED_TAG]);
      expect(await s.error('images:tags', { repository: ' ' })).toEqual({ code: 'invalid-input', message: 'repository: give the repository, e.g. localhost:5000/team/app' });
    });

    it('opens an OCI layout with progress events, and finds it the same image as the store one', async () => {
      const layout = await s.ociLayout();
      const { registry } = await s.registry();
      expect(await s.ok('images:platforms', { ref: layout })).toEqual([PLATFORM]);
      expect(await s.ok('images:platforms', { ref: `docker://${registry.host}/${PUSHED_REPOSITORY}:${PUSHED_TAG}`, tlsVerify: false })).toEqual([PLATFORM]);

      const copy = await s.ok('images:open', { ref: layout, openId: 'layout-open' });
      const seen = s.progress.filter((p) => p.openId === 'layout-open');
      const total = copy.layers.reduce((sum, l) => sum + l.compressedSize, 0);
      expect(seen.at(-1)).toEqual({ openId: 'layout-open', bytesDone: total, bytesTotal: total, layersDone: copy.layers.length, layersTotal: copy.layers.length });
      expect(await s.ok('images:cancel-open', { openId: 'layout-open' })).toEqual({ cancelled: false });

      const original = await s.ok('images:open', { ref: `oci:${s.home}:${BUILT_IMAGE}` });
      const comparison = await s.ok('images:compare', { a: original.id, b: copy.id });
      expect(comparison.sharedLayers.map((l) => l.digest)).toEqual(original.layers.map((l) => l.digest));
      expect(comparison).toMatchObject({ bytesToPull: 0, storePaths: { added: [], removed: [], changed: [] } });
      await s.ok('images:close', { id: original.id });
      await s.ok('images:close', { id: copy.id });
    });

    it('cancels an open stalled on a layer download, which then answers "cancelled"', async () => {
      const { registry } = await s.registry();
      // An image no open has indexed yet, so its layer must be downloaded.
      const layer = gzipLayer(await tarOf([{ name: 'etc/', type: 'directory' }, { name: 'etc/nonce', body: `${process.pid} ${Date.now()} ${Math.random()}` }]));
      const layout = writeLayout(join(mkdtempSync(join(tmpdir(), 'lamina-ipc-held-')), 'layout'), [layer]);
      await s.succeeded({ kind: 'push', input: { image: layout, target: `${registry.host}/lamina/held:1`, tlsVerify: false } });

      const proxy = await startFaultProxy(registry.host);
      try {
        proxy.rules = [{ method: 'GET', path: new RegExp(`/blobs/${sha256(layer.blob)}$`), fault: { kind: 'hold' }, times: 1 }];
        const ref = `docker://${proxy.host}/lamina/held:1`;
        const opening = s.bridge.invoke('images:open', { ref, tlsVerify: false, openId: 'held-open' });
        // The manifest is read (a first progress event) and the layer's download hangs.
        await expect.poll(() => s.progress.some((p) => p.openId === 'held-open'), { timeout: 60_000 }).toBe(true);
        expect(await s.ok('images:cancel-open', { openId: 'held-open' })).toEqual({ cancelled: true });
        const reply = await opening;
        expect(reply).toEqual({ error: { code: 'cancelled', message: 'inspection cancelled; no partial layer index was kept' } });
        expect(s.progress.filter((p) => p.openId === 'held-open').every((p) => p.layersDone === 0)).toBe(true);

        // Nothing half-read was kept: opening again reads the layer and lists its files.
        const again: OpenedImage = await s.ok('images:open', { ref, tlsVerify: false });
        expect(again.layers).toMatchObject([{ digest: sha256(layer.blob), fileCount: 2, cached: false }]);
        await s.ok('images:close', { id: again.id });
      } finally {
        await proxy.stop();
      }
    });
  });
}
