/**
 * The contract's app and job channels: facts about the engine, bad input and
 * unknown names answered as errors, and Nix builds run as jobs with their state
 * and log streamed as events, cancelled, failed and retried.
 */
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import type { RequestChannel } from '../../src-shared/ipc/contract.js';
import type { ContractSession } from './contract-session.js';
import { freshDerivations } from './nix-fixtures.js';

export function jobsContract(s: ContractSession): void {
  describe('app and jobs', () => {
    it('answers app:info with facts from the engine: data dir, Nix, job kinds', async () => {
      const info = await s.ok('app:info', {});
      expect(info.dataDir).toBe(s.home);
      expect(info.nix).toEqual({ version: expect.stringMatching(/^nix \(Nix\) 2\.\d+/) });
      expect(info.jobKinds).toEqual(['nix-build', 'image-build', 'push', 'package-index']);
      expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
    });

    it('refuses bad job input at the boundary with one line naming the field', async () => {
      const empty = await s.error('jobs:start', { kind: 'nix-build', input: { source: '/tmp', attrs: [] } });
      expect(empty).toEqual({ code: 'invalid-input', message: 'attrs: name at least one attribute to build, e.g. bash' });
      const kind = await s.error('jobs:start', { kind: 'launch-rockets', input: {} });
      expect(kind).toEqual({ code: 'invalid-input', message: 'kind: not a job kind Lamina knows; use one of nix-build, image-build, push, package-index' });
      const id = await s.error('jobs:get', { id: 'seven' });
      expect(id).toEqual({ code: 'invalid-input', message: 'id: a job id is a number' });
      for (const e of [empty, kind, id]) expect(e.message).not.toContain('\n');
    });

    it('answers an unknown channel and an unknown job with an error, not a crash', async () => {
      expect((await s.error('jobs:explode' as RequestChannel, {})).code).toBe('unknown-channel');
      expect(await s.error('jobs:get', { id: 999 })).toEqual({ code: 'job-not-found', message: 'there is no job 999; list the jobs to see which exist' });
    });

    it('runs a Nix build of the test package set as a job: state events, a streamed log, the built paths', async () => {
      const roots = inject('testbedRoots');
      const outPaths = inject('testbedOutPaths');
      const started = await s.ok('jobs:start', { kind: 'nix-build', input: { source: inject('testbedDir'), attrs: roots } });
      expect(started).toMatchObject({ kind: 'nix-build', title: `nix build ${roots.join(' ')}`, state: 'queued' });

      const done = await s.finished(started.id);
      expect(done.state).toBe('succeeded');
      expect(done.result).toEqual({ built: Object.fromEntries(roots.map((r) => [r, outPaths[r]])), outPaths: roots.map((r) => outPaths[r]) });
      expect(s.states.filter((j) => j.id === started.id).map((j) => j.state)).toContain('running');
      // The log that streamed is the log that was stored, line for line.
      const stored = await s.ok('jobs:log', { id: started.id });
      expect(s.streamed(started.id)).toEqual(stored.map((l) => l.text));
      expect(stored.map((l) => l.text)).toContain(`bash -> ${outPaths.bash}`);
      expect((await s.ok('jobs:list', {})).map((j) => j.id)).toContain(started.id);
      expect(await s.ok('jobs:get', { id: started.id })).toMatchObject({ id: started.id, state: 'succeeded', result: done.result });
    });

    it('retries a finished job as a new job with the same kind and input', async () => {
      const outPaths = inject('testbedOutPaths');
      const first = await s.succeeded({ kind: 'nix-build', input: { source: inject('testbedDir'), attrs: ['gzip'] } });
      const again = await s.ok('jobs:retry', { id: first.id });
      expect(again).toMatchObject({ kind: 'nix-build', title: first.title, state: 'queued' });
      expect(again.id).toBeGreaterThan(first.id);
      const done = await s.finished(again.id);
      expect(done.state).toBe('succeeded');
      expect(done.result).toEqual({ built: { gzip: outPaths.gzip }, outPaths: [outPaths.gzip] });
      expect(await s.error('jobs:retry', { id: 99_999 })).toMatchObject({ code: 'job-not-found' });
    });

    it("streams a real build's output line by line as Nix prints it", async () => {
      const { dir, nonce } = freshDerivations();
      const started = await s.ok('jobs:start', { kind: 'nix-build', input: { source: dir, attrs: ['chatty'] } });
      const done = await s.finished(started.id);
      expect(done.state).toBe('succeeded');
      // Each builder line names its derivation: `[lamina-chatty] line 1 of …`.
      const lines = [1, 2, 3].map((n) => expect.stringMatching(new RegExp(`^\\[lamina-chatty\\] line ${n} of ${nonce}$`)) as unknown);
      expect(s.streamed(started.id)).toEqual(expect.arrayContaining(lines));
    });

    it('cancels a running Nix build', async () => {
      const { dir, nonce } = freshDerivations();
      const started = await s.ok('jobs:start', { kind: 'nix-build', input: { source: dir, attrs: ['slow'] } });
      await expect.poll(() => s.streamed(started.id).some((l) => l.endsWith(`] sleeping ${nonce}`)), { timeout: 60_000 }).toBe(true);
      await s.ok('jobs:cancel', { id: started.id });
      const done = await s.finished(started.id);
      expect(done).toMatchObject({ state: 'cancelled', error: 'cancelled by the user' });
    });

    it('fails a job whose source does not exist, saying so', async () => {
      const started = await s.ok('jobs:start', { kind: 'nix-build', input: { source: join(s.home, 'no-such-folder'), attrs: ['bash'] } });
      const done = await s.finished(started.id);
      expect(done.state).toBe('failed');
      expect(done.error).toMatch(/^Package source .*no-such-folder does not exist/);
    });
  });
}
