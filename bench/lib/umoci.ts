/** `umoci insert` of a staged tree into a fresh OCI layout, as one timed process: the reference image builder. */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { timedShell, type Run } from './whole-process.js';

export function umociInsert(stage: string, layout: string): Run & { blobBytes: number } {
  rmSync(layout, { recursive: true, force: true });
  const run = timedShell(`umoci init --layout '${layout}' && umoci new --image '${layout}:t' && umoci insert --no-history --image '${layout}:t' '${stage}' /`);
  const blob = (digest: string): string => join(layout, 'blobs', 'sha256', digest.replace('sha256:', ''));
  const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
  const manifest = JSON.parse(readFileSync(blob(index.manifests[0]!.digest), 'utf8')) as { layers: { size: number }[] };
  return { ...run, blobBytes: manifest.layers.reduce((sum, layer) => sum + layer.size, 0) };
}
