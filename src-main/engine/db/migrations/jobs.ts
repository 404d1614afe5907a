import type { Migration } from '../migration.js';

/**
 * Jobs and their logs. `owner` is `host:pid` of the process running the job, so
 * any process sharing the data dir can tell a live job from one whose process died.
 * Log lines are rows (not a blob) so a view can page through a long log.
 */
export const jobsMigration: Migration = {
  name: 'jobs and job logs',
  up(db) {
    db.exec(`
      CREATE TABLE jobs (
        id          INTEGER PRIMARY KEY,
        kind        TEXT    NOT NULL,
        title       TEXT    NOT NULL,
        input       TEXT    NOT NULL,
        state       TEXT    NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted')),
        phase       TEXT,
        progress    TEXT,
        result      TEXT,
        error       TEXT,
        owner       TEXT    NOT NULL,
        log_lines   INTEGER NOT NULL DEFAULT 0,
        created_at  INTEGER NOT NULL,
        started_at  INTEGER,
        finished_at INTEGER
      );
      CREATE INDEX jobs_by_state ON jobs (state);
      CREATE TABLE job_logs (
        job_id INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
        seq    INTEGER NOT NULL,
        time   INTEGER NOT NULL,
        stream TEXT    NOT NULL CHECK (stream IN ('out', 'err', 'info')),
        text   TEXT    NOT NULL,
        PRIMARY KEY (job_id, seq)
      ) WITHOUT ROWID;
    `);
  },
};
