/**
 * Where the store keeps things under the data dir. The blobs, `index.json` and
 * `oci-layout` form a valid OCI image layout, so skopeo and umoci read it as is;
 * `ingest/` holds writes in progress on the same filesystem (rename is atomic);
 * `lamina.db` is the index that says which blobs are whole.
 */
import { join } from 'node:path';
import { digestHex } from '../image/digest.js';

/** Names handed out by ingestPath in this process. */
let ingestNames = 0;

export class StoreLayout {
  constructor(readonly root: string) {}

  get blobsDir(): string {
    return join(this.root, 'blobs', 'sha256');
  }
  get ingestDir(): string {
    return join(this.root, 'ingest');
  }
  get indexFile(): string {
    return join(this.root, 'index.json');
  }
  get layoutFile(): string {
    return join(this.root, 'oci-layout');
  }
  get databaseFile(): string {
    return join(this.root, 'lamina.db');
  }

  /**
   * A fresh name in ingest/ for a write in progress; the pid lets a later run tell
   * a dead writer's file from a live one's. The count keeps names apart within the
   * process, and the random part from a dead process's leftovers under a reused
   * pid. A name, not a secret: Math.random, so that naming the build's GC root
   * folder, before Nix starts, loads no crypto.
   */
  ingestPath(what: string): string {
    const unique = `${(++ingestNames).toString(36)}-${Math.random().toString(16).slice(2, 10)}`;
    return join(this.ingestDir, `${process.pid}-${what}-${unique}`);
  }

  blobPath(digest: string): string {
    return join(this.blobsDir, digestHex(digest));
  }
}
