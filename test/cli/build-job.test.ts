import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { openDatabase } from '../../src-main/engine/db/database.js';
import { JobRunner } from '../../src-main/engine/jobs/runner.js';
import { freshHome, runCli } from './run-cli.js';

describe('lamina build as a job', () => {
  it('records terminal builds in the job history the app shows, successes and failures alike', async () => {
    const home = freshHome();
    const ok = await runCli(['build', 'bash', '--source', inject('testbedDir'), '--json'], { LAMINA_HOME: home });
    expect(ok.code, ok.stderr).toBe(0);
    const bad = await runCli(['build', 'no-such-package', '--source', inject('testbedDir')], { LAMINA_HOME: home });
    expect(bad.code).toBe(1);

    const db = openDatabase(join(home, 'lamina.db'));
    const runner = new JobRunner(db, {});
    const [failed, succeeded] = runner.list();
    expect(succeeded).toMatchObject({ kind: 'image-build', state: 'succeeded', title: 'image bash' });
    expect((succeeded!.result as { manifestDigest: string }).manifestDigest).toBe((JSON.parse(ok.stdout) as { manifestDigest: string }).manifestDigest);
    expect(failed).toMatchObject({ kind: 'image-build', state: 'failed' });
    expect(bad.stderr.trimEnd().split('\n').at(-1)).toBe(`lamina: ${failed!.error}`);
    await runner.close();
    db.close();
  });
});
