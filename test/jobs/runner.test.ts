import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src-main/engine/db/database.js';
import { LaminaError } from '../../src-shared/errors.js';
import type { JobKind } from '../../src-main/engine/jobs/kind.js';
import { JobRunner } from '../../src-main/engine/jobs/runner.js';
import type { LogLine, RunnerEvent } from '../../src-shared/jobs.js';
import { freshDatabase, untilAborted } from './helpers.js';

/** Prints the given chunks as log output, reports progress, and returns how many it printed. */
const echo: JobKind<{ chunks: string[] }> = {
  title: ({ chunks }) => `echo ${chunks.length}`,
  async run({ chunks }, { emit }) {
    emit({ type: 'phase', name: 'echo' });
    chunks.forEach((text, i) => {
      emit({ type: 'log', text });
      emit({ type: 'progress', done: i + 1, total: chunks.length, unit: 'chunks' });
    });
    return { printed: chunks.length };
  },
};

const fail: JobKind<{ why: string }> = {
  title: () => 'fail',
  async run({ why }, { emit }) {
    emit({ type: 'log', text: 'about to fail', stream: 'err' });
    throw new LaminaError(why, 'test-failure');
  },
};

const waitForCancel: JobKind<Record<string, never>> = {
  title: () => 'wait',
  async run(_input, { emit, signal }) {
    emit({ type: 'log', text: 'waiting' });
    return untilAborted(signal);
  },
};

const kinds = { echo, fail, wait: waitForCancel } as Record<string, JobKind<never>>;

describe('job runner', () => {
  const runners: JobRunner[] = [];
  const open = (...args: ConstructorParameters<typeof JobRunner>): JobRunner => {
    const runner = new JobRunner(...args);
    runners.push(runner);
    return runner;
  };
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.close()));
  });

  it('runs a job to success, storing its log, progress and result', async () => {
    const { db } = freshDatabase();
    const runner = open(db, kinds);
    const events: RunnerEvent[] = [];
    runner.subscribe((e) => events.push(e));
    const job = runner.start('echo', { chunks: ['one', 'two\nthree\n'] });
    expect(job.state).toBe('queued');
    const done = await runner.wait(job.id);

    expect(done).toMatchObject({ state: 'succeeded', phase: 'echo', result: { printed: 2 }, logLines: 3, error: null });
    expect(done.progress).toEqual({ done: 2, total: 2, unit: 'chunks' });
    expect(runner.log(job.id).map((l) => [l.seq, l.text])).toEqual([
      [1, 'one'],
      [2, 'two'],
      [3, 'three'],
    ]);
    const states = events.filter((e) => e.type === 'state').map((e) => (e.type === 'state' ? e.job.state : ''));
    expect(states[0]).toBe('queued');
    expect(states).toContain('running');
    expect(states.at(-1)).toBe('succeeded');
    const streamed = events.flatMap((e) => (e.type === 'log' ? e.lines : []));
    expect(streamed).toEqual(runner.log(job.id));
  });

  it('fails a job with the one-line message its kind threw', async () => {
    const { db } = freshDatabase();
    const runner = open(db, kinds);
    const done = await runner.wait(runner.start('fail', { why: 'the source has no attribute foo; check the name' }).id);
    expect(done).toMatchObject({ state: 'failed', error: 'the source has no attribute foo; check the name' });
    expect(runner.log(done.id)).toMatchObject([{ seq: 1, stream: 'err', text: 'about to fail' }]);
  });

  it('cancels a running job and a queued one that then never runs', async () => {
    const { db } = freshDatabase();
    const runner = open(db, kinds, { concurrency: 1 });
    const running = runner.start('wait', {});
    const queued = runner.start('echo', { chunks: ['never'] });
    expect(runner.cancel(queued.id).state).toBe('cancelled');
    await expect.poll(() => runner.get(running.id).state).toBe('running');
    runner.cancel(running.id);
    const done = await runner.wait(running.id);
    expect(done).toMatchObject({ state: 'cancelled', error: 'cancelled by the user' });
    // The log ends with a line for the cancel, not mid-way as if the job still ran.
    expect(runner.log(running.id).at(-1)).toMatchObject({ stream: 'info', text: 'Cancelled: cancelled by the user' });
    expect(runner.log(queued.id)).toEqual([]);
    expect(runner.get(queued.id).startedAt).toBeNull();
  });

  it('refuses an unknown kind and an unknown job with a line that says what to do', () => {
    const { db } = freshDatabase();
    const runner = open(db, kinds);
    expect(() => runner.start('push', {})).toThrow(/there is no job kind "push"; use one of: echo, fail, wait/);
    expect(() => runner.get(404)).toThrow(/there is no job 404/);
  });

  it('keeps history with logs across a restart, and runs a job again on request', async () => {
    const { db, file } = freshDatabase();
    const first = new JobRunner(db, kinds);
    const done = await first.wait(first.start('echo', { chunks: ['kept'] }).id);
    await first.close();
    db.close();

    const runner = open(openDatabase(file), kinds);
    expect(runner.list().map((j) => [j.id, j.state])).toEqual([[done.id, 'succeeded']]);
    expect(runner.log(done.id).map((l) => l.text)).toEqual(['kept']);
    const again = await runner.wait(runner.retry(done.id).id);
    expect(again).toMatchObject({ kind: 'echo', state: 'succeeded', result: { printed: 1 } });
    expect(runner.list().map((j) => j.id)).toEqual([again.id, done.id]);
  });

  it('ends running jobs as interrupted when the runner closes', async () => {
    const { db } = freshDatabase();
    const runner = new JobRunner(db, kinds);
    const job = runner.start('wait', {});
    await expect.poll(() => runner.get(job.id).state).toBe('running');
    await runner.close();
    expect(runner.get(job.id)).toMatchObject({ state: 'interrupted', error: 'Lamina quit while the job ran' });
  });

  it('numbers log lines densely in order, whatever chunks a job emits', async () => {
    const { db } = freshDatabase();
    const runner = open(db, kinds, { flushMs: 1 });
    const chunk = fc.array(fc.constantFrom('a', 'b', ' ', '\n', '\r\n', 'é'), { maxLength: 12 }).map((c) => c.join(''));
    await fc.assert(
      fc.asyncProperty(fc.array(chunk, { minLength: 1, maxLength: 20 }), async (chunks) => {
        const job = await runner.wait(runner.start('echo', { chunks }).id);
        const lines: LogLine[] = runner.log(job.id);
        // What a person would read: each chunk's lines, one trailing newline not making an empty line.
        const expected = chunks.flatMap((c) => c.replace(/\r?\n$/, '').split(/\r?\n/));
        expect(lines.map((l) => l.text)).toEqual(expected);
        expect(lines.map((l) => l.seq)).toEqual(expected.map((_, i) => i + 1));
        expect(job.logLines).toBe(expected.length);
      }),
      { numRuns: 40 },
    );
  });
});
