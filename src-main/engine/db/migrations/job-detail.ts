import type { Migration } from '../migration.js';

/** A job kind's own live state as JSON (an image build's per-layer progress), beside its overall progress. */
export const jobDetail: Migration = {
  name: 'job detail',
  up(db) {
    db.exec('ALTER TABLE jobs ADD COLUMN detail TEXT');
  },
};
