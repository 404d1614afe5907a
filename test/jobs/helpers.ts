import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../src-main/engine/db/database.js';

/** A fresh data dir with the real schema (all migrations). */
export function freshDatabase(): { db: Db; file: string } {
  const file = join(mkdtempSync(join(tmpdir(), 'lamina-jobs-')), 'lamina.db');
  return { db: openDatabase(file), file };
}

/** Resolves when the AbortSignal fires; for kinds that run until cancelled. */
export function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true }));
}
