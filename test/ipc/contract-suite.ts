/**
 * One behaviour suite for the IPC contract, run against every transport: what
 * the renderer sees must not depend on how it is connected. Everything behind
 * the transport is real: the engine, SQLite, Nix and the generated package set.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { JobSummary, LogLine } from '../../src-shared/jobs.js';
import type { Bridge } from '../../src-shared/ipc/bridge.js';
import type { EventChannel, EventPayload, Reply, RequestChannel, RequestInput, RequestResult } from '../../src-shared/ipc/contract.js';
import { freshDerivations } from './nix-fixtures.js';

export interface Harness {
  readonly bridge: Bridge;
  readonly close: () => Promise<void>;
}

/** Collects what arrives on an event channel. */
function record<E extends EventChannel>(bridge: Bridge, channel: E): EventPayload<E>[] {
  const seen: EventPayload<E>[] = [];
  bridge.on(channel, (payload) => seen.push(payload));
  return seen;
}

export function contractSuite(transport: string, connect: (home: string) => Promise<Harness>): void {
  describe(`IPC contract over ${transport}`, () => {
    const home = mkdtempSync(join(tmpdir(), 'lamina-home-'));
    let harness: Harness;
    let states: JobSummary[];
    let logs: { jobId: number; lines: readonly LogLine[] }[];

    beforeAll(async () => {
      harness = await connect(home);
      states = record(harness.bridge, 'job:state');
      logs = record(harness.bridge, 'job:log');
    });
    afterAll(() => harness.close());

    async function ok<C extends RequestChannel>(channel: C, input: RequestInput<C>): Promise<RequestResult<C>> {
      const reply: Reply<C> = await harness.bridge.invoke(channel, input);
      if ('error' in reply) throw new Error(`${channel} answered an error: ${reply.error.message}`);
      return reply.result;
    }

    async function error(channel: RequestChannel, input: unknown): Promise<{ message: string; code: string }> {
      const reply = await harness.bridge.invoke(channel, input as never);
      if (!('error' in reply)) throw new Error(`${channel} succeeded where it should fail`);
      return reply.error;
    }

    /** The job's state as the events tell it, once it has finished. */
    async function finished(id: number): Promise<JobSummary> {
      await expect
        .poll(() => states.filter((s) => s.id === id).at(-1)?.state, { timeout: 60_000 })
        .toMatch(/succeeded|failed|cancelled|interrupted/);
      return states.filter((s) => s.id === id).at(-1)!;
    }

    const streamed = (id: number): string[] => logs.filter((l) => l.jobId === id).flatMap((l) => l.lines.map((line) => line.text));

    it('answers app:info with facts from the engine: data dir, Nix, job kinds', async () => {
      const info = await ok('app:info', {});
      expect(info.dataDir).toBe(home);
      expect(info.nix).toEqual({ version: expect.stringMatching(/^nix \(Nix\) 2\.\d+/) });
      expect(info.jobKinds).toEqual(['nix-build', 'image-build', 'push', 'package-index']);
      expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
    });

    it('refuses bad input at the boundary with one line naming the field', async () => {
      const empty = await error('jobs:start', { kind: 'nix-build', input: { source: '/tmp', attrs: [] } });
      expect(empty).toEqual({ code: 'invalid-input', message: 'attrs: name at least one attribute to build, e.g. bash' });
      const kind = await error('jobs:start', { kind: 'launch-rockets', input: {} });
      expect(kind).toEqual({ code: 'invalid-input', message: 'kind: not a job kind Lamina knows; use one of nix-build, image-build, push, package-index' });
      const id = await error('jobs:get', { id: 'seven' });
      expect(id).toEqual({ code: 'invalid-input', message: 'id: a job id is a number' });
      for (const e of [empty, kind, id]) expect(e.message).not.toContain('\n');
    });

    it('answers an unknown channel and an unknown job with an error, not a crash', async () => {
      expect((await error('jobs:explode' as RequestChannel, {})).code).toBe('unknown-channel');
      expect(await error('jobs:get', { id: 999 })).toEqual({ code: 'job-not-found', message: 'there is no job 999; list the jobs to see which exist' });
    });

    it('runs a Nix build of the test package set as a job: state events, a streamed log, the built paths', async () => {
      const roots = inject('testbedRoots');
      const outPaths = inject('testbedOutPaths');
      const started = await ok('jobs:start', { kind: 'nix-build', input: { source: inject('testbedDir'), attrs: roots } });
      expect(started).toMatchObject({ kind: 'nix-build', title: `nix build ${roots.join(' ')}`, state: 'queued' });

      const done = await finished(started.id);
      expect(done.state).toBe('succeeded');
      expect(done.result).toEqual({ built: Object.fromEntries(roots.map((r) => [r, outPaths[r]])), outPaths: roots.map((r) => outPaths[r]) });
      expect(states.filter((s) => s.id === started.id).map((s) => s.state)).toContain('running');
      // The log that streamed is the log that was stored, line for line.
      const stored = await ok('jobs:log', { id: started.id });
      expect(streamed(started.id)).toEqual(stored.map((l) => l.text));
      expect(stored.map((l) => l.text)).toContain(`bash -> ${outPaths.bash}`);
      expect((await ok('jobs:list', {})).map((j) => j.id)).toContain(started.id);
    });

    it("streams a real build's output line by line as Nix prints it", async () => {
      const { dir, nonce } = freshDerivations();
      const started = await ok('jobs:start', { kind: 'nix-build', input: { source: dir, attrs: ['chatty'] } });
      const done = await finished(started.id);
      expect(done.state).toBe('succeeded');
      // Each builder line names its derivation: `[lamina-chatty] line 1 of …`.
      const lines = [1, 2, 3].map((n) => expect.stringMatching(new RegExp(`^\\[lamina-chatty\\] line ${n} of ${nonce}$`)) as unknown);
      expect(streamed(started.id)).toEqual(expect.arrayContaining(lines));
    });

    it('cancels a running Nix build', async () => {
      const { dir, nonce } = freshDerivations();
      const started = await ok('jobs:start', { kind: 'nix-build', input: { source: dir, attrs: ['slow'] } });
      await expect.poll(() => streamed(started.id).some((l) => l.endsWith(`] sleeping ${nonce}`)), { timeout: 60_000 }).toBe(true);
      await ok('jobs:cancel', { id: started.id });
      const done = await finished(started.id);
      expect(done).toMatchObject({ state: 'cancelled', error: 'cancelled by the user' });
    });

    it('fails a job whose source does not exist, saying so', async () => {
      const started = await ok('jobs:start', { kind: 'nix-build', input: { source: join(home, 'no-such-folder'), attrs: ['bash'] } });
      const done = await finished(started.id);
      expect(done.state).toBe('failed');
      expect(done.error).toMatch(/^Package source .*no-such-folder does not exist/);
    });
  });
}
