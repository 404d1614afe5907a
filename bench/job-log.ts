/**
 * How the job runner copes with a chatty build: a job prints LINES log lines
 * in bursts (as Nix does), the runner stores them in SQLite in batches and sends
 * them to a listener (a transport). Reference, measured in the same run on the
 * same schema: inserting the same rows straight into job_logs in one transaction,
 * the least any store of the log must do.
 * Target: the runner within 3x of the reference (the UI and the CLI get every
 * line live, and a killed process loses at most one flush interval of log).
 *
 *   npx tsx bench/job-log.ts
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src-main/engine/db/database.js';
import type { JobKind } from '../src-main/engine/jobs/kind.js';
import { JobRunner } from '../src-main/engine/jobs/runner.js';

const LINES = 300_000;
const BURST = 500;
const line = (i: number): string => `[builder] compiling src/module-${i % 977}.c -O2 -fPIC -Wall (step ${i})`;

function freshDb(): ReturnType<typeof openDatabase> {
  return openDatabase(join(mkdtempSync(join(tmpdir(), 'lamina-bench-jobs-')), 'lamina.db'));
}

function reference(): number {
  const db = freshDb();
  const start = performance.now();
  const job = db.prepare(`INSERT INTO jobs (kind, title, input, state, owner, created_at) VALUES ('x', 'x', '{}', 'running', 'bench', 0)`).run();
  const insert = db.prepare('INSERT INTO job_logs (job_id, seq, time, stream, text) VALUES (?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (let i = 0; i < LINES; i++) insert.run(job.lastInsertRowid, i + 1, Date.now(), 'out', line(i));
  })();
  const ms = performance.now() - start;
  db.close();
  return ms;
}

async function runner(): Promise<{ ms: number; delivered: number }> {
  const db = freshDb();
  const chatty: JobKind<Record<string, never>> = {
    title: () => 'chatty',
    async run(_input, { emit }) {
      for (let i = 0; i < LINES; i++) {
        emit({ type: 'log', text: line(i) });
        // Output arrives in bursts between reads of a pipe: let timers (the flush) run between them.
        if (i % BURST === BURST - 1) await new Promise((resolve) => setImmediate(resolve));
      }
    },
  };
  const jobs = new JobRunner(db, { chatty });
  let delivered = 0;
  jobs.subscribe((event) => {
    if (event.type === 'log') delivered += event.lines.length;
  });
  const start = performance.now();
  const done = await jobs.wait(jobs.start('chatty', {}).id);
  const ms = performance.now() - start;
  if (done.logLines !== LINES || delivered !== LINES) throw new Error(`stored ${done.logLines} and delivered ${delivered} of ${LINES} lines`);
  await jobs.close();
  db.close();
  return { ms, delivered };
}

const ref = reference();
const run = await runner();
const perSecond = (ms: number): string => `${Math.round(LINES / (ms / 1000)).toLocaleString('en')} lines/s`;
console.log(`reference (one INSERT transaction): ${ref.toFixed(0)} ms, ${perSecond(ref)}`);
console.log(`job runner (batched, streamed):     ${run.ms.toFixed(0)} ms, ${perSecond(run.ms)}`);
console.log(`ratio runner / reference: ${(run.ms / ref).toFixed(2)} (target <= 3)`);
