/**
 * Jobs started from the app (through the engine's handlers, as both transports
 * call them) with a package source that carries a password: the job list, the
 * job's error and lamina.db never hold it, while Nix is still given the real
 * source; a retry in the same process rebuilds with it.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JobSummary } from '../../src-shared/jobs.js';
import { dispatch } from '../../src-main/ipc/dispatch.js';
import { openEngineServices } from '../../src-main/ipc/engine-services.js';

const SECRET = 'tok_APP_SECRET_91d2';
const SOURCE = `git+https://alice:${SECRET}@example.invalid/repo`;

describe('a job started from the app with credentials in its source', () => {
  it('keeps them out of the job list, the error and lamina.db, and a retry still reaches Nix with them', async () => {
    const home = mkdtempSync(join(tmpdir(), 'lamina-secret-jobs-'));
    const services = openEngineServices({ home });
    try {
      for (const [kind, input] of [
        ['nix-build', { source: SOURCE, attrs: ['hello'] }],
        ['image-build', { source: SOURCE, attrs: ['hello'] }],
        ['package-index', { source: SOURCE, force: false }],
      ] as const) {
        const reply = await dispatch(services.handlers, 'jobs:start', { kind, input });
        if (!('result' in reply)) throw new Error(reply.error.message);
        const started = reply.result as JobSummary;
        const done = await services.runner.wait(started.id);
        expect(done.state, kind).toBe('failed');
        // Nix got the real source and failed to fetch it (no network here); the line shows it redacted.
        expect(done.error, kind).toMatch(/\*\*\*@example\.invalid/);
        const retried = await services.runner.wait(services.runner.retry(started.id).id);
        expect(retried.error, `${kind} retry`).toBe(done.error);
      }
      const everything = JSON.stringify(await services.handlers['jobs:list']({}));
      expect(everything).not.toContain(SECRET);
      expect(everything).not.toContain('alice');
    } finally {
      await services.close();
    }
    for (const file of readdirSync(home).filter((f) => f.startsWith('lamina.db'))) {
      expect(readFileSync(join(home, file)).includes(SECRET), file).toBe(false);
    }
  });
});
