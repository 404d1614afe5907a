/**
 * Opens the local store under the data dir: an OCI image layout (blobs,
 * index.json, oci-layout) plus the SQLite index, with the cache and image
 * records on top. Opening also clears what a crashed run left in ingest/.
 */
import { existsSync } from 'node:fs';
import { openDatabase, type Db } from '../db/database.js';
import { laminaHome, makeDataDirs } from '../home.js';
import { BlobLeases } from './blob-leases.js';
import { ContentStore } from './content-store.js';
import { writeFileAtomicSync } from './durable-fs.js';
import { ImageRecords } from './image-records.js';
import { LayerCache } from './layer-cache.js';
import { StoreLayout } from './layout.js';

export interface Store {
  readonly layout: StoreLayout;
  readonly db: Db;
  readonly content: ContentStore;
  readonly layers: LayerCache;
  readonly leases: BlobLeases;
  readonly images: ImageRecords;
  close(): void;
}

export interface OpenStoreOptions {
  /**
   * The data dir's database, already open: the app's services share one connection
   * (opened with the Electron build of better-sqlite3 there); its owner closes it.
   */
  readonly db?: Db;
}

export async function openStore(root: string = laminaHome(), options: OpenStoreOptions = {}): Promise<Store> {
  const layout = new StoreLayout(root);
  makeDataDirs(root, [layout.blobsDir, layout.ingestDir]);
  if (!existsSync(layout.layoutFile)) {
    writeFileAtomicSync(layout.layoutFile, JSON.stringify({ imageLayoutVersion: '1.0.0' }) + '\n', layout.ingestPath('oci-layout'));
  }
  const db = options.db ?? openDatabase(layout.databaseFile);
  const leases = new BlobLeases(db);
  const content = new ContentStore(db, layout, leases);
  const images = new ImageRecords(db, content, layout);
  if (!existsSync(layout.indexFile)) images.syncIndex();
  await content.cleanStaleIngests();
  return { layout, db, content, layers: new LayerCache(db, content), leases, images, close: () => (options.db ? undefined : db.close()) };
}
