/**
 * The Compose and Plan views' channels on the test package set: its package
 * index loaded by a job then searched, the closure of bash sized, its layer plan
 * drawn and a dependency explained, and recipes saved, updated and deleted.
 */
import { describe, expect, inject, it } from 'vitest';
import type { ContractSession } from './contract-session.js';

export function composeContract(s: ContractSession): void {
  describe('compose and plan', () => {
    it('searches the package set only after a package-index job loaded it', async () => {
      const source = inject('testbedDir');
      expect(await s.ok('packages:status', { source })).toEqual({ indexed: null });
      expect((await s.error('packages:search', { source, query: 'bash' })).message).toMatch(/not indexed yet; load the package index first/);

      const job = await s.succeeded({ kind: 'package-index', input: { source } });
      const indexed = (await s.ok('packages:status', { source })).indexed;
      expect(indexed).toEqual(job.result);
      expect(indexed?.packages).toBe(Object.keys(inject('testbedOutPaths')).length);

      const hits = await s.ok('packages:search', { source, query: 'bash' });
      expect(hits[0]).toMatchObject({ attrPath: 'bash', pname: 'bash', description: 'Debian package bash' });
      expect(await s.ok('packages:search', { source, query: 'no-such-package-anywhere' })).toEqual([]);
      expect(await s.ok('packages:search', { source, query: '', limit: 2 })).toHaveLength(2);
    });

    it("sizes bash's closure, plans its layers and says why a library is in it", async () => {
      const source = inject('testbedDir');
      const outPaths = inject('testbedOutPaths');
      const closure = await s.ok('compose:closure', { source, attrs: ['bash'] });
      expect(closure.roots).toEqual([{ attr: 'bash', path: outPaths.bash, closureSize: closure.narSize, uniqueSize: closure.narSize }]);
      expect(closure.paths).toBeGreaterThan(2);

      const plan = await s.ok('plan:view', { source, attrs: ['bash'], maxLayers: 3 });
      expect(plan).toMatchObject({ roots: [outPaths.bash], strategy: 'reuse', maxLayers: 3, closure: { paths: closure.paths, narSize: closure.narSize } });
      expect(plan.layers.length).toBeGreaterThan(0);
      expect(plan.layers.length).toBeLessThanOrEqual(3);
      // Every path of the closure is in exactly one layer.
      const layered = plan.layers.flatMap((l) => l.paths);
      expect(layered.sort()).toEqual(plan.nodes.map((n) => n.path).sort());
      expect(new Set(layered).size).toBe(closure.paths);
      expect(plan.strategies.map((st) => st.strategy)).toContain('reuse');

      expect(await s.ok('plan:why', { source, attrs: ['bash'], path: outPaths.libtinfo6! })).toEqual([
        { root: outPaths.bash, chain: [outPaths.bash, outPaths.libtinfo6] },
      ]);
      const outside = await s.error('plan:why', { source, attrs: ['bash'], path: outPaths.gzip });
      expect(outside).toEqual({ code: 'not-in-closure', message: `${outPaths.gzip} is not in the closure of bash; pick a path from the graph` });
    });

    it('saves a recipe, reads it back, updates it under the same name and deletes it', async () => {
      const source = inject('testbedDir');
      const saved = await s.ok('recipes:save', { name: ' bash image ', body: { source, attrs: ['bash'], maxLayers: 3 } });
      // The body comes back with the defaults an image build would use.
      expect(saved).toMatchObject({ name: 'bash image', body: { source, attrs: ['bash'], maxLayers: 3, strategy: 'reuse', compression: 'gzip', config: {} } });
      expect(await s.ok('recipes:get', { id: saved.id })).toEqual(saved);
      expect(await s.ok('recipes:list', {})).toEqual([{ id: saved.id, name: 'bash image', updatedAt: saved.updatedAt }]);

      const updated = await s.ok('recipes:save', { name: 'bash image', body: { source, attrs: ['bash', 'gzip'] } });
      expect(updated.id).toBe(saved.id);
      expect((await s.ok('recipes:get', { id: saved.id })).body.attrs).toEqual(['bash', 'gzip']);

      expect(await s.ok('recipes:delete', { id: saved.id })).toEqual([]);
      expect(await s.error('recipes:get', { id: saved.id })).toMatchObject({ code: 'recipe-missing' });
    });
  });
}
