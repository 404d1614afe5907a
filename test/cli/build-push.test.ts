import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startRegistry, type RunningRegistry } from '../registry/servers/registry-server.js';
import { freshHome, runCli } from './run-cli.js';

interface BuildJson {
  manifestDigest: string;
  layers: { digest: string; cached: boolean }[];
  push: { digest: string; blobs: { digest: string; action: string }[] };
}

describe('lamina build --push', () => {
  let registry: RunningRegistry;
  const env = { LAMINA_HOME: freshHome() };
  beforeAll(async () => {
    registry = await startRegistry();
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it('builds and pushes in one command; skopeo sees the digest the build made', async () => {
    const dest = `docker://${registry.host}/lamina/bash:1`;
    const first = await runCli(['build', 'bash', '--source', inject('testbedDir'), '--push', dest, '--json'], env);
    expect(first.code, first.stderr).toBe(0);
    const built = JSON.parse(first.stdout) as BuildJson;
    expect(built.push.digest).toBe(built.manifestDigest);
    expect(built.push.blobs.every((b) => b.action === 'uploaded')).toBe(true);
    const seen = JSON.parse(execFileSync('skopeo', ['inspect', '--tls-verify=false', dest], { encoding: 'utf8' })) as { Digest: string };
    expect(seen.Digest).toBe(built.manifestDigest);

    // Again, to another repository: every layer from the cache, every blob mounted or already there.
    const again = await runCli(['build', 'bash', '--source', inject('testbedDir'), '--push', `docker://${registry.host}/other/bash:1`, '--json'], env);
    expect(again.code, again.stderr).toBe(0);
    const rebuilt = JSON.parse(again.stdout) as BuildJson;
    expect(rebuilt.layers.every((l) => l.cached)).toBe(true);
    expect(rebuilt.push.blobs.map((b) => b.action).filter((a) => a === 'uploaded')).toEqual([]);
  });

  it('refuses a bad destination before building, in one line', async () => {
    const { code, stderr } = await runCli(['build', 'bash', '--source', inject('testbedDir'), '--push', 'registry.example/x'], env);
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/not a registry location/);
  });
});
