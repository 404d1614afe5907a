/**
 * One behaviour suite for the IPC contract, run against every transport: what
 * the renderer sees must not depend on how it is connected. Everything behind
 * the transport is real: the engine, SQLite, Nix, the generated package set, a
 * registry. The parts run in order over one data dir; the last test fails when
 * a channel of the contract was never exercised, so a new channel needs a test.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_CHANNELS, REQUEST_CHANNELS } from '../../src-shared/ipc/channels.js';
import { cacheContract } from './contract-cache.js';
import { composeContract } from './contract-compose.js';
import { imagesContract } from './contract-images.js';
import { jobsContract } from './contract-jobs.js';
import { ContractSession, type Harness } from './contract-session.js';
import { settingsContract } from './contract-settings.js';

export type { Harness };

export function contractSuite(transport: string, connect: (home: string) => Promise<Harness>): void {
  describe(`IPC contract over ${transport}`, () => {
    const session = new ContractSession(mkdtempSync(join(tmpdir(), 'lamina-home-')), connect);
    beforeAll(() => session.open());
    afterAll(() => session.close());

    jobsContract(session);
    composeContract(session);
    settingsContract(session);
    imagesContract(session);
    // Last of the parts: its gc drops the images the others look at.
    cacheContract(session);

    it('exercised every request channel (answered with a result) and heard every event channel', () => {
      expect(REQUEST_CHANNELS.filter((c) => !session.answered.has(c)), 'request channels no test got a result from').toEqual([]);
      expect(EVENT_CHANNELS.filter((c) => !session.heard.has(c)), 'event channels no test heard').toEqual([]);
    });
  });
}
