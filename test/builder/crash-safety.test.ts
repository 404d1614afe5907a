/**
 * kill -9 at random moments of real `lamina build` processes sharing one data
 * dir, then check the promise of the index: every row's blob is whole, stale
 * ingest files are cleared, and a final build still gives the right image.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { cliArgv } from '../cli/run-cli.js';
import { buildImage } from '../../src-main/engine/builder/pipeline.js';
import { hashFile } from '../../src-main/engine/image/sha256.js';
import { DEFAULT_STRATEGY } from '../../src-shared/strategies.js';
import { openStore } from '../../src-main/engine/store/store.js';
import { freshStore, smallRecipe, tempDir } from './helpers.js';

const source = inject('testbedDir');
const roots = inject('testbedRoots');
const repo = join(import.meta.dirname, '..', '..');

/**
 * Runs the CLI from source (so the test always covers the current code). With
 * `killInLayersMs`, sends SIGKILL that long after the build reports its layers
 * phase (progress lines on stderr), so kills land while layers are being written.
 */
function lamina(home: string, args: readonly string[], killInLayersMs?: number): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, cliArgv(args), {
    cwd: repo,
    env: { ...process.env, LAMINA_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let timer: NodeJS.Timeout | undefined;
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (killInLayersMs !== undefined && timer === undefined && chunk.toString().includes('lamina: layers')) {
      timer = setTimeout(() => child.kill('SIGKILL'), killInLayersMs);
    }
  });
  return new Promise((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    }),
  );
}

describe('crash safety', () => {
  it('never leaves an index row for a missing or partial blob when builds are killed at random moments', { timeout: 300_000 }, async () => {
    const home = tempDir('crash');
    const compressions = ['gzip', 'zstd', 'none'];
    const killed: string[] = [];
    for (let i = 0; i < 10; i++) {
      // Varied plans and compressions so most runs have layers left to write when the kill lands.
      const delay = Math.floor(Math.random() * 400);
      const args = ['build', ...roots, '--source', source, '--max-layers', String(2 + ((i * 3) % 9)), '--compression', compressions[i % 3]!];
      const result = await lamina(home, args, delay);
      killed.push(`${delay}ms:${result.signal ?? `exit ${result.code}`}`);
    }

    // Runs that finished before their kill prove nothing; most must have been killed.
    expect(killed.filter((k) => k.endsWith('SIGKILL')).length, killed.join(', ')).toBeGreaterThanOrEqual(5);
    // A killed writer leaves its ingest file behind; opening the store must clear it.
    const leftovers = readdirSync(join(home, 'ingest')).length;
    console.log(`crash safety: ${killed.join(', ')}; ${leftovers} ingest files left by the kills`);
    const store = await openStore(home);
    try {
      expect(readdirSync(store.layout.ingestDir), `after kills at ${killed.join(', ')}`).toEqual([]);
      for (const blob of store.content.list()) {
        expect(await hashFile(store.layout.blobPath(blob.digest)), `blob ${blob.digest} after kills at ${killed.join(', ')}`).toEqual({
          digest: blob.digest,
          size: blob.size,
        });
      }
      const index = JSON.parse(readFileSync(join(home, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
      for (const entry of index.manifests) expect(existsSync(store.layout.blobPath(entry.digest))).toBe(true);
    } finally {
      store.close();
    }

    const final = await lamina(home, ['build', ...roots, '--source', source, '--max-layers', '6', '--cmd', '/bin/bash', '--json']);
    expect(final.code).toBe(0);
    const reference = await freshStore();
    try {
      // The CLI's default strategy plans on the layers the kills left; a clean store must give the same image.
      const expected = await buildImage(reference, smallRecipe(source, roots, { strategy: DEFAULT_STRATEGY }), { name: 'reference' });
      expect((JSON.parse(final.stdout) as { manifestDigest: string }).manifestDigest).toBe(expected.manifestDigest);
    } finally {
      reference.close();
    }
  });

  it('keeps the index right when two processes build the same layers at the same time', async () => {
    const home = tempDir('two-processes');
    const args = ['build', ...roots, '--source', source, '--max-layers', '5', '--json'];
    const [a, b] = await Promise.all([lamina(home, args), lamina(home, args)]);
    expect([a.code, b.code], `${a.stderr}\n${b.stderr}`).toEqual([0, 0]);
    const digest = (r: { stdout: string }): string => (JSON.parse(r.stdout) as { manifestDigest: string }).manifestDigest;
    expect(digest(a)).toBe(digest(b));
    const store = await openStore(home);
    try {
      expect(store.images.list()).toHaveLength(1);
      for (const blob of store.content.list()) {
        expect(await hashFile(store.layout.blobPath(blob.digest))).toEqual({ digest: blob.digest, size: blob.size });
      }
    } finally {
      store.close();
    }
  });
});
