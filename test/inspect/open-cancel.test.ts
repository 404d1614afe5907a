/**
 * Opening an image as the Images view does (ImageSessions, with an open id):
 * progress in layer bytes and layers of the manifest's totals, and a cancel that
 * stops the reading and leaves only whole layer indexes behind, so the next open
 * reads what was cut off and lists every file.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src-main/engine/db/database.js';
import { LaminaError } from '../../src-shared/errors.js';
import { ImageSessions } from '../../src-main/engine/inspect/image-sessions.js';
import type { OpenedImage, OpenProgress } from '../../src-shared/images.js';
import { gzipLayer, plainLayer, sha256, tarOf, writeLayout, type CraftedLayer } from './fixtures/crafted-layout.js';

let db: Db;
let ref: string;
let layers: CraftedLayer[];
beforeAll(async () => {
  ({ ref, layers } = await threeLayers(mkdtempSync(join(tmpdir(), 'lamina-open-cancel-'))));
});
beforeEach(() => {
  db = openDatabase(':memory:');
});
afterEach(() => db.close());

/** Files per kept index, by layer digest, counted from the file rows themselves. */
function keptIndexes(): Map<string, number> {
  const rows = db.prepare('SELECT i.digest AS digest, count(f.path) AS files FROM layer_indexes i LEFT JOIN layer_index_files f ON f.layer_digest = i.digest GROUP BY i.digest').all() as {
    digest: string;
    files: number;
  }[];
  return new Map(rows.map((r) => [r.digest, r.files]));
}

/** A small layer, then one big plain tar of random bytes (slow to read next to the first), then another small one. */
async function threeLayers(work: string): Promise<{ ref: string; layers: CraftedLayer[] }> {
  const small = (name: string) => [
    { name: `${name}/`, type: 'directory' as const },
    { name: `${name}/one`, body: `${name} one` },
    { name: `${name}/two`, body: `${name} two` },
  ];
  const layers = [
    gzipLayer(await tarOf(small('first'))),
    plainLayer(await tarOf([{ name: 'big/', type: 'directory' }, { name: 'big/noise.bin', body: randomBytes(96 * 1024 * 1024) }, { name: 'big/after', body: 'x' }])),
    gzipLayer(await tarOf(small('third'))),
  ];
  return { ref: writeLayout(join(work, 'layout'), layers), layers };
}

async function failure(promise: Promise<unknown>): Promise<LaminaError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(LaminaError);
  return err as LaminaError;
}

describe('opening an image with progress and a cancel', () => {
  it('reports bytes and layers of the totals, rising to them, for that open only', async () => {
    const sessions = new ImageSessions(db);
    const seen: OpenProgress[] = [];
    sessions.subscribe((p) => seen.push(p));
    const image = await sessions.open(ref, {}, 'first');
    const total = layers.reduce((sum, l) => sum + l.blob.length, 0);
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.every((p) => p.openId === 'first' && p.bytesTotal === total && p.layersTotal === 3)).toBe(true);
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i]!.bytesDone).toBeGreaterThanOrEqual(seen[i - 1]!.bytesDone);
      expect(seen[i]!.layersDone).toBeGreaterThanOrEqual(seen[i - 1]!.layersDone);
    }
    expect(seen.at(-1)).toEqual({ openId: 'first', bytesDone: total, bytesTotal: total, layersDone: 3, layersTotal: 3 });
    expect(image.layers.map((l) => l.fileCount)).toEqual([3, 3, 3]);

    // Indexed now: a second open counts every layer whole at once, and reads nothing.
    seen.length = 0;
    const again = await sessions.open(ref, {}, 'second');
    expect(again.layers.every((l) => l.cached)).toBe(true);
    expect(seen.at(-1)).toEqual({ openId: 'second', bytesDone: total, bytesTotal: total, layersDone: 3, layersTotal: 3 });
    expect(sessions.cancelOpen('second')).toBe(false);
  });

  it('stops mid-layer when cancelled, keeps only whole indexes, and the next open lists every file', async () => {
    const sessions = new ImageSessions(db);
    const seen: OpenProgress[] = [];
    let cancelled: boolean | undefined;
    // Cancel once the small first layer is done: the big one is still being read then.
    sessions.subscribe((p) => {
      seen.push(p);
      if (p.layersDone === 1 && cancelled === undefined) cancelled = sessions.cancelOpen('cut');
    });
    const err = await failure(sessions.open(ref, {}, 'cut'));
    expect(cancelled).toBe(true);
    expect(err.code).toBe('cancelled');
    expect(err.message).not.toContain('\n');
    const last = seen.at(-1)!;
    expect(last.layersDone).toBeLessThan(3);
    expect(last.bytesDone).toBeLessThan(last.bytesTotal);

    const big = layers[1]!.blob;
    const kept = keptIndexes();
    expect([...kept.keys()]).not.toContain(sha256(big));
    expect(sessions.cancelOpen('cut')).toBe(false);

    const opened: OpenedImage = await sessions.open(ref, {}, 'again');
    expect(opened.layers.map((l) => l.fileCount)).toEqual([3, 3, 3]);
    expect(opened.layers[1]!.cached).toBe(false);
    // Every index kept by the cancelled open is whole: as many files as the full read found.
    for (const [digest, files] of kept) expect(files).toBe(opened.layers.find((l) => l.digest === digest)!.fileCount);
    const tree = sessions.tree(opened.id, 1, { sort: 'name' });
    expect(JSON.stringify(tree)).toContain('noise.bin');
    expect(keptIndexes().get(sha256(big))).toBe(3);
  });

  it('cancels an open whose registry login is still being looked up, before anything is read', async () => {
    const sessions = new ImageSessions(db);
    let resolveOptions!: (options: object) => void;
    const running = sessions.open(ref, new Promise((resolve) => (resolveOptions = resolve)), 'early');
    expect(sessions.cancelOpen('early')).toBe(true);
    resolveOptions({});
    expect((await failure(running)).code).toBe('cancelled');
    expect(keptIndexes().size).toBe(0);
  });

  it('refuses a second open under an id that is still running', async () => {
    const sessions = new ImageSessions(db);
    const first = sessions.open(ref, {}, 'same');
    expect((await failure(sessions.open(ref, {}, 'same'))).code).toBe('open-id-taken');
    await first;
  });
});
