/**
 * What every part of the IPC contract suite shares over one transport: the
 * bridge (wrapped so the suite knows which channels it exercised), the events
 * heard so far, and the costly things made once per file and reused by every
 * test that needs them: one image build, one registry holding it, one OCI
 * layout copied from there.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, inject } from 'vitest';
import type { ImageBuildResult } from '../../src-main/engine/jobs/kinds/image-build.js';
import type { PushJobResult } from '../../src-main/engine/jobs/kinds/push.js';
import { openLocation, writeLocation } from '../../src-main/engine/locations.js';
import type { Bridge } from '../../src-shared/ipc/bridge.js';
import type { ApiError, EventChannel, EventPayload, Reply, RequestChannel, RequestInput, RequestResult } from '../../src-shared/ipc/contract.js';
import type { OpenProgress } from '../../src-shared/images.js';
import type { JobSummary, LogLine } from '../../src-shared/jobs.js';
import { startRegistry, type RunningRegistry } from '../registry/servers/registry-server.js';

export interface Harness {
  readonly bridge: Bridge;
  readonly close: () => Promise<void>;
}

/** The image every images and cache test looks at: bash alone, in at most 3 layers. */
export const BUILT_IMAGE = 'ipc-bash';
/** Where the suite's registry holds that image. */
export const PUSHED_REPOSITORY = 'lamina/bash';
export const PUSHED_TAG = '1.0';

export interface BuiltImage {
  readonly job: JobSummary;
  readonly result: ImageBuildResult;
}

/**
 * Wraps a bridge so that every channel answered with a result and every event
 * that arrived is written down: the suite's last test checks no channel of the
 * contract went untested.
 */
function recording(bridge: Bridge, answered: Set<RequestChannel>, heard: Set<EventChannel>): Bridge {
  return {
    async invoke<C extends RequestChannel>(channel: C, input: RequestInput<C>): Promise<Reply<C>> {
      const reply = await bridge.invoke(channel, input);
      if ('result' in reply) answered.add(channel);
      return reply;
    },
    on<E extends EventChannel>(channel: E, listener: (payload: EventPayload<E>) => void): () => void {
      return bridge.on(channel, (payload) => {
        heard.add(channel);
        listener(payload);
      });
    },
  };
}

/** Runs `make` once, on first use; every later caller shares the same promise. */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
}

export class ContractSession {
  /** Request channels that answered a result, not an error. */
  readonly answered = new Set<RequestChannel>();
  /** Event channels that delivered at least one payload. */
  readonly heard = new Set<EventChannel>();
  readonly states: JobSummary[] = [];
  readonly logs: { jobId: number; lines: readonly LogLine[] }[] = [];
  readonly progress: OpenProgress[] = [];
  private harness: Harness | undefined;
  private bridgeInUse: Bridge | undefined;
  private readonly registries: RunningRegistry[] = [];

  constructor(
    readonly home: string,
    private readonly connect: (home: string) => Promise<Harness>,
  ) {}

  async open(): Promise<void> {
    this.harness = await this.connect(this.home);
    this.bridgeInUse = recording(this.harness.bridge, this.answered, this.heard);
    this.bridgeInUse.on('job:state', (job) => this.states.push(job));
    this.bridgeInUse.on('job:log', (log) => this.logs.push(log));
    this.bridgeInUse.on('images:open-progress', (progress) => this.progress.push(progress));
  }

  async close(): Promise<void> {
    await this.harness?.close();
    for (const registry of this.registries) await registry.stop();
  }

  get bridge(): Bridge {
    if (!this.bridgeInUse) throw new Error('the contract session is not open yet');
    return this.bridgeInUse;
  }

  /** The result of a request that must succeed. */
  async ok<C extends RequestChannel>(channel: C, input: RequestInput<C>): Promise<RequestResult<C>> {
    const reply: Reply<C> = await this.bridge.invoke(channel, input);
    if ('error' in reply) throw new Error(`${channel} answered an error: ${reply.error.message}`);
    return reply.result;
  }

  /** The error of a request that must fail; `input` may be anything a page could send. */
  async error(channel: RequestChannel, input: unknown): Promise<ApiError> {
    const reply = await this.bridge.invoke(channel, input as never);
    if (!('error' in reply)) throw new Error(`${channel} succeeded where it should fail`);
    return reply.error;
  }

  /** The job's state as the events tell it, once it has finished. */
  async finished(id: number): Promise<JobSummary> {
    const last = (): JobSummary | undefined => this.states.filter((s) => s.id === id).at(-1);
    await expect.poll(() => last()?.state, { timeout: 120_000 }).toMatch(/succeeded|failed|cancelled|interrupted/);
    return last()!;
  }

  /** Starts a job and waits for it to succeed (failing with its error if it does not). */
  async succeeded(start: RequestInput<'jobs:start'>): Promise<JobSummary> {
    const started = await this.ok('jobs:start', start);
    const done = await this.finished(started.id);
    expect(done.state, done.error ?? '').toBe('succeeded');
    return done;
  }

  /** The log lines that streamed for a job. */
  streamed(id: number): string[] {
    return this.logs.filter((l) => l.jobId === id).flatMap((l) => l.lines.map((line) => line.text));
  }

  /** A registry of our own for this file, stopped when the session closes. */
  async startRegistry(): Promise<RunningRegistry> {
    const registry = await startRegistry();
    this.registries.push(registry);
    return registry;
  }

  /** Builds BUILT_IMAGE into the store through an image-build job. */
  readonly image = once(async (): Promise<BuiltImage> => {
    const job = await this.succeeded({
      kind: 'image-build',
      input: { source: inject('testbedDir'), attrs: ['bash'], maxLayers: 3, name: BUILT_IMAGE },
    });
    return { job, result: job.result as ImageBuildResult };
  });

  /** The suite's registry, holding BUILT_IMAGE as PUSHED_REPOSITORY:PUSHED_TAG, pushed by a push job. */
  readonly registry = once(async (): Promise<{ registry: RunningRegistry; push: PushJobResult }> => {
    const [registry] = await Promise.all([this.startRegistry(), this.image()]);
    const job = await this.succeeded({
      kind: 'push',
      input: { image: BUILT_IMAGE, target: `${registry.host}/${PUSHED_REPOSITORY}:${PUSHED_TAG}`, tlsVerify: false },
    });
    return { registry, push: job.result as PushJobResult };
  });

  /** The pushed image copied from the registry into an OCI layout (as `lamina export` writes one); its `oci:` reference. */
  readonly ociLayout = once(async (): Promise<string> => {
    const { registry } = await this.registry();
    const ref = `oci:${join(mkdtempSync(join(tmpdir(), 'lamina-ipc-layout-')), 'layout')}:${PUSHED_TAG}`;
    const opened = await openLocation(`docker://${registry.host}/${PUSHED_REPOSITORY}:${PUSHED_TAG}`, { tlsVerify: false });
    try {
      await writeLocation(opened.image, ref);
    } finally {
      await opened.close();
    }
    return ref;
  });
}
