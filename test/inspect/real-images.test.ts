/**
 * Images built by `lamina build` from the small test package set, read back as
 * an OCI layout, as a docker-archive that skopeo wrote, and from a real registry
 * (distribution 2.8) that skopeo pushed to: what the report says is checked
 * against Nix, against the blobs themselves, and across the three sources.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase, type Db } from '../../src-main/engine/db/database.js';
import { LaminaError } from '../../src-shared/errors.js';
import {
  compareImages,
  evaluateCi,
  fileTree,
  inspectImage,
  listPlatforms,
  listRepositories,
  listTags,
  parsePlatform,
  type ImageReport,
} from '../../src-main/engine/inspect/index.js';
import { nixClosure, run, tempDir } from '../builder/helpers.js';
import { freshHome, runCli } from '../cli/run-cli.js';
import { startRegistry, type RunningRegistry } from '../registry/servers/registry-server.js';

const source = inject('testbedDir');
const outPaths = inject('testbedOutPaths');
const bash = outPaths.bash!;
const gzip = outPaths.gzip!;

interface PathInfo {
  path: string;
  narSize: number;
  references: string[];
}

function nixPathInfo(paths: readonly string[]): Map<string, PathInfo> {
  const infos = JSON.parse(run('nix', ['--extra-experimental-features', 'nix-command', 'path-info', '--json', ...paths])) as PathInfo[];
  return new Map(infos.map((i) => [i.path, i]));
}

const diffIds = (report: ImageReport) => report.layers.map((l) => l.diffId);
const filesOf = (report: ImageReport) => report.layers.map((l) => l.files);

let work: string;
let home: string;
let layout: string;
let db: Db;
let bashReport: ImageReport;

beforeAll(async () => {
  work = tempDir('inspect-real');
  layout = join(work, 'layout');
  home = freshHome();
  const builds = [
    ['bash', 'bash'],
    ['bash', 'bash-gzip', 'gzip'],
    ['bash', 'bash-env', '--env', 'MODE=other'],
  ] as const;
  for (const [attr, tag, ...more] of builds) {
    const built = await runCli(['build', attr, ...more, '--source', source, '--out', `oci:${layout}:${tag}`], { LAMINA_HOME: home });
    expect(built.stderr).not.toMatch(/error/i);
    expect(built.code).toBe(0);
  }
  db = openDatabase(join(work, 'lamina.db'));
  bashReport = await inspectImage(`oci:${layout}:bash`, { db });
});

afterAll(() => {
  db?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('an image lamina built, from its OCI layout', () => {
  it('reports the manifest, sizes as the blobs have them, and a history entry per layer', () => {
    const manifest = JSON.parse(readFileSync(join(layout, 'blobs', 'sha256', bashReport.manifestDigest.slice(7)), 'utf8')) as {
      layers: { digest: string; size: number }[];
    };
    expect(bashReport.layers.map((l) => l.digest)).toEqual(manifest.layers.map((l) => l.digest));
    expect(bashReport.compressedSize).toBe(manifest.layers.reduce((sum, l) => sum + l.size, 0));
    for (const layer of bashReport.layers) {
      const tar = gunzipSync(readFileSync(join(layout, 'blobs', 'sha256', layer.digest.slice(7))));
      expect(layer.uncompressedSize).toBe(tar.length);
      expect(layer.history?.comment).toMatch(/^lamina: (store paths|links to) /);
      expect(layer.cached).toBe(false);
    }
    expect(bashReport.platform).toEqual({ os: 'linux', architecture: 'amd64' });
  });

  it('holds exactly the closure of bash, sized and linked as the Nix store says, all needed by bash', () => {
    const closure = nixClosure([bash]);
    expect(bashReport.storePaths.map((p) => p.path)).toEqual(closure);
    const infos = nixPathInfo(closure);
    for (const path of bashReport.storePaths) {
      const info = infos.get(path.path)!;
      expect(path).toMatchObject({ size: info.narSize, sizeSource: 'nix-store', referencesSource: 'nix-store', neededBy: [bash] });
      expect(path.references).toEqual(info.references.filter((r) => r !== path.path).sort());
    }
    expect(bashReport.roots).toEqual([bash]);
    expect(bashReport.rootsSource).toBe('image');
  });

  it('finds the same references and top-level package from the image alone', async () => {
    const alone = await inspectImage(`oci:${layout}:bash`, { db, useLocalNixStore: false });
    expect(alone.roots).toEqual([bash]);
    for (const [i, path] of alone.storePaths.entries()) {
      const withNix = bashReport.storePaths[i]!;
      expect(path).toMatchObject({ path: withNix.path, references: withNix.references, neededBy: [bash], sizeSource: 'layer', referencesSource: 'layer' });
      expect(path.size).toBe(path.layerBytes);
    }
  });

  it('wastes nothing: every store path is in one layer', () => {
    expect(bashReport.efficiency).toMatchObject({ wastedBytes: 0, efficiency: 1 });
    expect(bashReport.efficiency.totalBytes).toBe(bashReport.layers.reduce((sum, l) => sum + l.fileBytes, 0));
    expect(evaluateCi(bashReport, { lowestEfficiency: 0.99, highestWastedBytes: 0 })).toMatchObject({ pass: true, reasons: [] });
  });

  it('shows the customisation layer as links into bash, all added, filterable and sorted by size', () => {
    const top = bashReport.layers.length - 1;
    const tree = fileTree(bashReport, top);
    const bin = tree.children.find((c) => c.name === 'bin')!;
    expect(bin).toMatchObject({ kind: 'symlink', mark: 'added', link: `${bash}/bin` });
    expect(tree.children.every((c) => c.mark === 'added')).toBe(true);

    const storeLayer = bashReport.layers.findIndex((l) => l.storePaths.includes(bash));
    const filtered = fileTree(bashReport, storeLayer, { filter: 'bin/bashbug', sort: 'size' });
    const paths: string[] = [];
    const walk = (n: ReturnType<typeof fileTree>) => (n.children.length ? n.children.forEach(walk) : paths.push(n.path));
    walk(filtered);
    expect(paths).toEqual([`${bash.slice(1)}/bin/bashbug`]);
    const bySize = fileTree(bashReport, storeLayer, { sort: 'size' });
    const store = bySize.children[0]!.children[0]!;
    const sizes = store.children.map((c) => c.size);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
  });

  it('reopens from the layer index without reading a single layer', async () => {
    const copy = join(work, 'broken');
    run('cp', ['-r', layout, copy]);
    // Same sizes, wrong bytes: any read of a layer would now fail its digest check.
    for (const layer of bashReport.layers) {
      const blob = join(copy, 'blobs', 'sha256', layer.digest.slice(7));
      writeFileSync(blob, Buffer.alloc(layer.compressedSize));
    }
    const again = await inspectImage(`oci:${copy}:bash`, { db });
    expect(again.layers.every((l) => l.cached)).toBe(true);
    expect(filesOf(again)).toEqual(filesOf(bashReport));
    const fresh = openDatabase(':memory:');
    try {
      await expect(inspectImage(`oci:${copy}:bash`, { db: fresh })).rejects.toThrow(LaminaError);
    } finally {
      fresh.close();
    }
  });

  it('compares with bash+gzip: the store paths gzip adds, and the bytes a puller of bash already has', async () => {
    const both = await inspectImage(`oci:${layout}:bash-gzip`, { db });
    const diff = compareImages(bashReport, both);
    const added = nixClosure([bash, gzip]).filter((p) => !nixClosure([bash]).includes(p));
    expect(diff.storePaths).toEqual({ added, removed: [], changed: [] });
    const before = new Set(bashReport.layers.map((l) => l.digest));
    const had = both.layers.filter((l) => before.has(l.digest));
    expect(diff.sharedLayers.map((s) => s.digest)).toEqual(had.map((l) => l.digest));
    expect(diff.bytesAlreadyPresent).toBe(had.reduce((s, l) => s + l.compressedSize, 0));
    expect(diff.bytesAlreadyPresent + diff.bytesToPull).toBe(both.compressedSize);
    expect(both.roots).toEqual([bash, gzip].sort());
  });

  it('compares with bash under another config: every layer shared, nothing to pull, no store path changed', async () => {
    const other = await inspectImage(`oci:${layout}:bash-env`, { db });
    expect(other.manifestDigest).not.toBe(bashReport.manifestDigest);
    const diff = compareImages(bashReport, other);
    expect(diff.sharedLayers.map((s) => [s.indexA, s.indexB])).toEqual(bashReport.layers.map((l) => [l.index, l.index]));
    expect(diff).toMatchObject({ bytesAlreadyPresent: bashReport.compressedSize, bytesToPull: 0, storePaths: { added: [], removed: [], changed: [] } });
  });
});

describe('the same image elsewhere', () => {
  it("reads the image in Lamina's own store, which is an OCI layout, from the same indexes", async () => {
    // `lamina build bash gzip` names the image bash-gzip in the store.
    const stored = await inspectImage(`oci:${home}:bash-gzip`, { db });
    const exported = await inspectImage(`oci:${layout}:bash-gzip`, { db });
    expect(stored.manifestDigest).toBe(exported.manifestDigest);
    expect(stored.layers.every((l) => l.cached)).toBe(true);
  });

  let registry: RunningRegistry;
  beforeAll(async () => {
    registry = await startRegistry();
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it('reads a docker-archive written by skopeo to the same layers, files and store paths', async () => {
    const archive = join(work, 'bash.tar');
    run('skopeo', ['copy', `oci:${layout}:bash`, `docker-archive:${archive}:lamina/bash:1`]);
    const report = await inspectImage(`docker-archive:${archive}`, { db });
    expect(diffIds(report)).toEqual(diffIds(bashReport));
    expect(filesOf(report)).toEqual(filesOf(bashReport));
    expect(report.storePaths).toEqual(bashReport.storePaths);
    expect(report.layers.some((l) => l.cached)).toBe(false);
  });

  it('browses a registry and reads an image from it', async () => {
    run('skopeo', ['copy', '--dest-tls-verify=false', `oci:${layout}:bash`, `docker://${registry.host}/lamina/bash:1`]);
    expect(await listRepositories(registry.host)).toEqual(['lamina/bash']);
    expect(await listTags(`docker://${registry.host}/lamina/bash`)).toEqual(['1']);
    const fresh = openDatabase(':memory:');
    try {
      const report = await inspectImage(`docker://${registry.host}/lamina/bash:1`, { db: fresh });
      expect(report.manifestDigest).toBe(bashReport.manifestDigest);
      expect(filesOf(report)).toEqual(filesOf(bashReport));
      expect(report.storePaths).toEqual(bashReport.storePaths);
    } finally {
      fresh.close();
    }
  });

  it('asks for a platform when the tag names a multi-platform index, and opens the one chosen', async () => {
    const manifest = readFileSync(join(layout, 'blobs', 'sha256', bashReport.manifestDigest.slice(7)));
    const entry = (architecture: string) => ({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: bashReport.manifestDigest,
      size: manifest.length,
      platform: { os: 'linux', architecture },
    });
    const index = { schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [entry('amd64'), entry('arm64')] };
    const put = await fetch(`http://${registry.host}/v2/lamina/bash/manifests/multi`, {
      method: 'PUT',
      headers: { 'content-type': 'application/vnd.oci.image.index.v1+json' },
      body: JSON.stringify(index),
    });
    expect(put.status).toBe(201);
    const ref = `docker://${registry.host}/lamina/bash:multi`;
    expect(await listPlatforms(ref)).toEqual([
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64' },
    ]);
    const err = await inspectImage(ref, { db }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LaminaError);
    expect((err as LaminaError).code).toBe('platform-required');
    expect((err as Error).message).toMatch(/linux\/amd64, linux\/arm64/);
    const chosen = await inspectImage(ref, { db, platform: parsePlatform('linux/arm64') });
    expect(chosen.manifestDigest).toBe(bashReport.manifestDigest);
    expect(chosen.indexPlatforms).toHaveLength(2);
    expect(chosen.layers.every((l) => l.cached)).toBe(true);
    const missing = await inspectImage(ref, { db, platform: { os: 'linux', architecture: 's390x' } }).catch((e: unknown) => e);
    expect((missing as LaminaError).code).toBe('no-platform');
    expect(parsePlatform('linux/arm64/v8')).toEqual({ os: 'linux', architecture: 'arm64', variant: 'v8' });
    expect(() => parsePlatform('arm64')).toThrow(/write OS\/ARCH/);
  });
});

