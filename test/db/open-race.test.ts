import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src-main/engine/db/database.js';
import { MIGRATIONS } from '../../src-main/engine/db/migrations/index.js';

const CHILD = join(import.meta.dirname, 'open-race.child.ts');

function openIn(file: string, startAt: number): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, file, String(startAt)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('opening one new data dir from several processes at once', () => {
  // Two `lamina build`s started together on a fresh machine both create the
  // database: neither may fail on the WAL switch or run the migrations twice.
  it('succeeds in every process and migrates once', { timeout: 120_000 }, async () => {
    for (let round = 0; round < 4; round++) {
      const file = join(mkdtempSync(join(tmpdir(), 'lamina-open-race-')), 'lamina.db');
      const startAt = Date.now() + 2500;
      const results = await Promise.all(Array.from({ length: 6 }, () => openIn(file, startAt)));
      for (const r of results) expect(r.code, r.stderr).toBe(0);
      const db = openDatabase(file);
      expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      db.close();
    }
  });
});
