/**
 * Leases on blobs, as containerd has them: a build takes a lease and puts every
 * layer it will use in it (written now or found in the cache) before any image
 * refers to that layer, so a `cache gc` running meanwhile, in this process or
 * another, keeps those blobs. Taking a blob into a lease and gc deleting it both
 * happen in write transactions that check the other, so neither slips in between.
 * A lease ends with its build (success or not); a killed build's lease ends when
 * gc sees its process is gone, and any lease after LEASE_MS.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database.js';
import { ownerIsGone, ownerOfThisProcess } from '../process-owner.js';

/** The longest a lease may last: longer than any build's layers phase. */
export const LEASE_MS = 6 * 3600 * 1000;

/** SQL: blob `b` is in a live lease (dead owners' leases are pruned before gc asks). */
export const LEASED = `EXISTS (SELECT 1 FROM blob_leases bl WHERE bl.digest = b.digest AND bl.expires_at > @now)`;

export interface Lease {
  readonly id: string;
  /** Holds `digest`; call inside the write transaction that checks the blob is there (or before it is written). */
  hold(digest: string): void;
  /** Lets go of every blob it holds. */
  end(): void;
}

export class BlobLeases {
  private readonly owner = ownerOfThisProcess();
  private readonly statements;

  constructor(private readonly db: Db) {
    this.statements = {
      hold: db.prepare('INSERT OR IGNORE INTO blob_leases (lease_id, digest, owner, expires_at) VALUES (?, ?, ?, ?)'),
      end: db.prepare('DELETE FROM blob_leases WHERE lease_id = ?'),
      owners: db.prepare<[], { owner: string }>('SELECT DISTINCT owner FROM blob_leases'),
      dropOwner: db.prepare('DELETE FROM blob_leases WHERE owner = ?'),
      dropExpired: db.prepare('DELETE FROM blob_leases WHERE expires_at <= ?'),
    };
  }

  begin(now = Date.now()): Lease {
    const id = randomUUID();
    const expires = now + LEASE_MS;
    return {
      id,
      hold: (digest) => void this.statements.hold.run(id, digest, this.owner, expires),
      end: () => void this.db.transaction(() => this.statements.end.run(id)).immediate(),
    };
  }

  /** Drops expired leases and those of processes that are gone (a build killed half way). */
  prune(now = Date.now()): void {
    this.db
      .transaction(() => {
        this.statements.dropExpired.run(now);
        for (const { owner } of this.statements.owners.all()) if (ownerIsGone(owner)) this.statements.dropOwner.run(owner);
      })
      .immediate();
  }
}
