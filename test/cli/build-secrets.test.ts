/**
 * A package source with credentials in it, through the built CLI and real Nix:
 * nothing a person sees and nothing in lamina.db holds the password, and a retry
 * of the stored job says why it cannot rebuild instead of failing in Nix.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src-main/engine/db/database.js';
import { imageBuildJob } from '../../src-main/engine/jobs/kinds/image-build.js';
import { JobRunner } from '../../src-main/engine/jobs/runner.js';
import { openStore } from '../../src-main/engine/store/store.js';
import { freshHome, runCli } from './run-cli.js';

const SECRET = 'tok_SECRET_4f9c';

describe('lamina build from a source with credentials', () => {
  it('keeps the password out of its output and lamina.db, and a retry says it cannot rebuild', async () => {
    const home = freshHome();
    // No network here: Nix gets as far as git failing to reach the host, which is what shows the source back.
    const { code, stdout, stderr } = await runCli(['build', 'hello', '--source', `git+https://alice:${SECRET}@example.invalid/repo`], { LAMINA_HOME: home });
    expect(code).toBe(1);
    expect(stderr.trimEnd().split('\n').at(-1)).toMatch(/^lamina: Nix could not \w+ git\+https:\/\/\*\*\*@example\.invalid\/repo: /);
    expect(stdout + stderr).not.toContain(SECRET);
    expect(stdout + stderr).not.toContain('alice');

    const db = openDatabase(join(home, 'lamina.db'));
    const store = await openStore(home);
    const runner = new JobRunner(db, { 'image-build': imageBuildJob(async () => store, () => undefined) });
    try {
      const [failed] = runner.list();
      expect(failed).toMatchObject({ kind: 'image-build', state: 'failed' });
      const retried = await runner.wait(runner.retry(failed!.id).id);
      expect(retried.state).toBe('failed');
      expect(retried.error).toBe(
        'the source git+https://***@example.invalid/repo had a user name or password, which Lamina does not store; start the build again with the full source',
      );
    } finally {
      await runner.close();
      store.close();
      db.close();
    }
    for (const file of readdirSync(home).filter((f) => f.startsWith('lamina.db'))) {
      expect(readFileSync(join(home, file)).includes(SECRET), file).toBe(false);
    }
  });
});

describe('lamina build image config flags', () => {
  it.each([
    ['--port', '99999', /exposed port "99999" is not PORT or PORT\/tcp\|udp\|sctp \(1-65535\)/],
    ['--port', '80/icmp', /exposed port "80\/icmp"/],
    ['--env', 'A B=c', /environment entry "A B=c" is not KEY=VALUE/],
  ])('rejects %s %s while parsing the flags: usage exit 2, one line, no job', async (flag, value, message) => {
    const home = freshHome();
    const { code, stderr } = await runCli(['build', 'bash', '--source', '/nonexistent', flag, value], { LAMINA_HOME: home });
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(message);
    expect(readdirSync(home)).toEqual([]);
  });
});
