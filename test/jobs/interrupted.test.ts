import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src-main/engine/db/database.js';
import { ownerOfThisProcess } from '../../src-main/engine/process-owner.js';
import { JobRunner } from '../../src-main/engine/jobs/runner.js';
import { freshDatabase } from './helpers.js';

describe('a job whose process died', () => {
  it('shows as interrupted, not running, to the next process that looks', async () => {
    const { db, file } = freshDatabase();
    db.close();
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/jobs/run-forever.ts', file], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [first] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
    const id = Number(/^running (\d+)$/.exec(first)?.[1]);

    // While the owner lives, another process sees the job running and cannot cancel it.
    const watcher = new JobRunner(openDatabase(file), {});
    expect(watcher.get(id)).toMatchObject({ state: 'running', logLines: 1 });
    expect(() => watcher.cancel(id)).toThrow(/run by another Lamina process/);

    child.kill('SIGKILL');
    await once(child, 'exit');
    expect(watcher.get(id)).toMatchObject({ state: 'interrupted', error: expect.stringMatching(/stopped before it finished; run it again/) });
    expect(watcher.list()[0]?.finishedAt).not.toBeNull();
    expect(watcher.log(id).map((l) => l.text)).toEqual(['started']);
    await watcher.close();
  });

  it('is told apart from a live job even when a later process got the same pid', async () => {
    const { db } = freshDatabase();
    const [host, pid, started] = ownerOfThisProcess().split(':');
    // An earlier process with our pid (containers reuse pids) left a job running.
    db.prepare(`INSERT INTO jobs (kind, title, input, state, owner, created_at) VALUES ('x', 'x', '{}', 'running', ?, 0)`).run(
      `${host}:${pid}:${Number(started) - 60_000}`,
    );
    const runner = new JobRunner(db, {});
    expect(runner.list()[0]).toMatchObject({ state: 'interrupted' });
    await runner.close();
  });
});

