/**
 * `lamina serve --registry` against real clients: skopeo and podman pull images
 * built on demand from the test bed, whose layers hold exactly the packages'
 * Nix closure; a second pull builds nothing, two at once build once, and every
 * error reaches the client as a registry error it prints.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase } from '../../src-main/engine/db/database.js';
import { RecipeBook } from '../../src-main/engine/recipes/recipe-book.js';
import { brokenPackageSet, startPullServer, type PullServer } from './pull-server.js';

const run = promisify(execFile);

interface SkopeoResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function skopeo(args: readonly string[]): Promise<SkopeoResult> {
  try {
    const { stdout, stderr } = await run('skopeo', [...args], { maxBuffer: 16 << 20 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

function inspect(server: PullServer, name: string): Promise<SkopeoResult> {
  return skopeo(['inspect', '--tls-verify=false', `docker://${server.address}/${name}`]);
}

interface HttpAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

function http(server: PullServer, method: string, path: string, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  const [host, port] = server.address.split(':');
  return new Promise((resolve, reject) => {
    const req = request({ host, port: Number(port), method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

function errorCodes(answer: HttpAnswer): string[] {
  return (JSON.parse(answer.body.toString('utf8')) as { errors: { code: string }[] }).errors.map((e) => e.code);
}

/** The /nix/store/… paths the layers of an OCI layout's only image hold. */
function storePathsInLayout(dir: string): string[] {
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
  const blob = (digest: string): string => join(dir, 'blobs', 'sha256', digest.slice('sha256:'.length));
  const manifest = JSON.parse(readFileSync(blob(index.manifests[0]!.digest), 'utf8')) as { layers: { digest: string }[] };
  const paths = new Set<string>();
  for (const layer of manifest.layers) {
    const listing = execFileSync('tar', ['-tzf', blob(layer.digest)], { encoding: 'utf8', maxBuffer: 64 << 20 });
    for (const entry of listing.split('\n')) {
      const match = /^(?:\.\/)?nix\/store\/([^/]+)/.exec(entry);
      if (match) paths.add(`/nix/store/${match[1]}`);
    }
  }
  return [...paths].sort();
}

function closureOf(paths: readonly string[]): string[] {
  return execFileSync('nix-store', ['-qR', ...paths], { encoding: 'utf8' }).split('\n').filter(Boolean).sort();
}

describe('lamina serve --registry', () => {
  let server: PullServer;
  const outPaths = (): Record<string, string> => inject('testbedOutPaths');

  beforeAll(async () => {
    server = await startPullServer(inject('testbedDir'));
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('answers the /v2/ probe and refuses writes with UNSUPPORTED', async () => {
    const probe = await http(server, 'GET', '/v2/');
    expect(probe.status).toBe(200);
    expect(probe.headers['docker-distribution-api-version']).toBe('registry/2.0');
    for (const method of ['PUT', 'POST', 'PATCH', 'DELETE']) {
      const answer = await http(server, method, '/v2/bash/manifests/latest');
      expect(answer.status, method).toBe(405);
      expect(errorCodes(answer)).toEqual(['UNSUPPORTED']);
    }
    expect(server.nixRuns()).toEqual([]);
  });

  it('builds bash/gzip on the first pull (one image-build job); skopeo copies it and its layers hold exactly the Nix closure', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lamina-pulled-'));
    try {
      const copied = await skopeo(['copy', '--src-tls-verify=false', `docker://${server.address}/bash/gzip:latest`, `oci:${dir}:pulled`]);
      expect(copied.code, copied.stderr).toBe(0);
      expect(server.jobs()).toMatchObject([{ state: 'succeeded' }]);
      // The test bed is built already: the job's build finds its outputs and only roots them (nix-store), else nix-build builds them.
      expect(server.nixRuns().some((line) => line === 'nix-build' || line === 'nix-store')).toBe(true);
      expect(storePathsInLayout(dir)).toEqual(closureOf([outPaths()['bash']!, outPaths()['gzip']!]));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a second pull builds nothing: no job, no nix-build, the same digest from the cache', async () => {
    const first = JSON.parse((await inspect(server, 'bash/gzip:latest')).stdout) as { Digest: string };
    const runsBefore = server.nixRuns().length;
    const again = await inspect(server, 'bash/gzip:latest');
    expect(again.code, again.stderr).toBe(0);
    expect((JSON.parse(again.stdout) as { Digest: string }).Digest).toBe(first.Digest);
    expect(server.jobs()).toHaveLength(1);
    // Only evaluations (attribute check, out paths) ran: nothing was built.
    expect(server.nixRuns().slice(runsBefore).filter((line) => line !== 'nix-instantiate')).toEqual([]);
    expect(server.cacheRows()).toEqual([{ repository: 'bash/gzip', manifest_digest: first.Digest }]);
  });

  it('serves manifests by digest and blobs with HEAD and Range, with their digests and sizes', async () => {
    const tagged = await http(server, 'GET', '/v2/bash/gzip/manifests/latest');
    const digest = tagged.headers['docker-content-digest'] as string;
    expect(tagged.headers['content-type']).toBe('application/vnd.oci.image.manifest.v1+json');
    expect(Number(tagged.headers['content-length'])).toBe(tagged.body.length);
    const byDigest = await http(server, 'HEAD', `/v2/bash/gzip/manifests/${digest}`);
    expect(byDigest.status).toBe(200);
    expect(byDigest.headers['docker-content-digest']).toBe(digest);
    // A digest is served only under a name whose image holds it.
    expect((await http(server, 'GET', `/v2/sed/manifests/${digest}`)).status).toBe(404);

    const layer = (JSON.parse(tagged.body.toString('utf8')) as { layers: { digest: string; size: number }[] }).layers[0]!;
    const head = await http(server, 'HEAD', `/v2/bash/gzip/blobs/${layer.digest}`);
    expect(head.status).toBe(200);
    expect(Number(head.headers['content-length'])).toBe(layer.size);
    expect(head.headers['docker-content-digest']).toBe(layer.digest);
    const whole = await http(server, 'GET', `/v2/bash/gzip/blobs/${layer.digest}`);
    const part = await http(server, 'GET', `/v2/bash/gzip/blobs/${layer.digest}`, { Range: 'bytes=10-99' });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 10-99/${layer.size}`);
    expect(part.body).toEqual(whole.body.subarray(10, 100));
    const beyond = await http(server, 'GET', `/v2/bash/gzip/blobs/${layer.digest}`, { Range: `bytes=${layer.size}-` });
    expect(beyond.status).toBe(416);
    expect(errorCodes(await http(server, 'GET', `/v2/sed/blobs/${layer.digest}`))).toEqual(['BLOB_UNKNOWN']);
  });

  it('two concurrent pulls of a new image build it once', async () => {
    const before = server.jobs().length;
    const [a, b] = await Promise.all([inspect(server, 'sed/grep:latest'), inspect(server, 'sed/grep:latest')]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect((JSON.parse(a.stdout) as { Digest: string }).Digest).toBe((JSON.parse(b.stdout) as { Digest: string }).Digest);
    expect(server.jobs()).toHaveLength(before + 1);
  });

  it('a client that leaves mid-build leaves a whole cache entry: the build finishes and the next pull reuses it', async () => {
    const before = server.jobs().length;
    const [host, port] = server.address.split(':');
    await new Promise<void>((resolve) => {
      const req = request({ host, port: Number(port), path: '/v2/tar/manifests/latest' });
      req.on('error', () => resolve());
      req.end(() => setTimeout(() => req.destroy(), 50));
      req.on('close', () => resolve());
    });
    for (let i = 0; i < 600 && !(server.jobs().length > before && server.jobs().at(-1)!.state === 'succeeded'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(server.jobs().at(-1)!.state).toBe('succeeded');
    const pulled = await inspect(server, 'tar:latest');
    expect(pulled.code, pulled.stderr).toBe(0);
    expect(server.jobs()).toHaveLength(before + 1);
  });

  it('names every unknown package in a MANIFEST_UNKNOWN that skopeo prints, without building', async () => {
    const before = server.jobs().length;
    const runsBefore = server.nixRuns().length;
    const answer = await inspect(server, 'bash/nope/zap:latest');
    expect(answer.code).not.toBe(0);
    // skopeo quotes the message, so its own quotes come escaped.
    expect(answer.stderr).toMatch(/manifest unknown: the package source of tag \\?"latest\\?" has no package nope, zap/);
    expect(server.jobs()).toHaveLength(before);
    expect(server.nixRuns().slice(runsBefore).filter((line) => line === 'nix-build')).toEqual([]);
    const unknownTag = await inspect(server, 'bash:no-such-recipe');
    expect(unknownTag.stderr).toMatch(/manifest unknown: tag \\?"no-such-recipe\\?" names no saved recipe/);
  });

  it('a tag naming a saved recipe pulls from that recipe\'s source (here the same as latest: nothing is built)', async () => {
    const before = server.jobs().length;
    const db = openDatabase(join(server.home, 'lamina.db'));
    try {
      new RecipeBook(db).save('bed', { source: inject('testbedDir'), attrs: ['sed'] });
    } finally {
      db.close();
    }
    const latest = JSON.parse((await inspect(server, 'bash/gzip:latest')).stdout) as { Digest: string };
    const bed = await inspect(server, 'bash/gzip:bed');
    expect(bed.code, bed.stderr).toBe(0);
    expect((JSON.parse(bed.stdout) as { Digest: string }).Digest).toBe(latest.Digest);
    expect(server.jobs()).toHaveLength(before);
    const tags = await http(server, 'GET', '/v2/bash/tags/list');
    expect(JSON.parse(tags.body.toString('utf8'))).toEqual({ name: 'bash', tags: ['latest', 'bed'] });
  });

  it('the shell meta-package adds the shell tools the source has', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lamina-pulled-'));
    try {
      const copied = await skopeo(['copy', '--src-tls-verify=false', `docker://${server.address}/shell/gzip:latest`, `oci:${dir}:pulled`]);
      expect(copied.code, copied.stderr).toBe(0);
      // The test bed has bash, grep and sed of the shell's tools (no coreutils, findutils).
      expect(storePathsInLayout(dir)).toEqual(closureOf(['bash', 'grep', 'sed', 'gzip'].map((a) => outPaths()[a]!)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses hostile names with NAME_INVALID before Nix runs', async () => {
    const runsBefore = server.nixRuns().length;
    const hostile = [
      '/v2/../etc/manifests/latest',
      '/v2/bash/../../manifests/latest',
      '/v2/bash%2fgzip/manifests/latest',
      '/v2/ba%C3%A9sh/manifests/latest',
      '/v2/Bash/manifests/latest',
      `/v2/${'a'.repeat(300)}/manifests/latest`,
      `/v2/${Array.from({ length: 40 }, (_, i) => `p${i}`).join('/')}/manifests/latest`,
      '/v2/bash//gzip/manifests/latest',
      '/v2/-bash/blobs/sha256:' + '0'.repeat(64),
    ];
    for (const path of hostile) {
      const answer = await http(server, 'GET', path);
      expect(answer.status, path).toBe(400);
      expect(errorCodes(answer), path).toEqual(['NAME_INVALID']);
    }
    expect(errorCodes(await http(server, 'GET', '/v2/bash/manifests/sha512:abc'))).toEqual(['DIGEST_INVALID']);
    expect(errorCodes(await http(server, 'GET', '/v2/bash/manifests/.hidden'))).toEqual(['TAG_INVALID']);
    expect(server.nixRuns().slice(runsBefore)).toEqual([]);
  });

  it('podman pulls it over plain HTTP: the same image skopeo sees', async () => {
    const root = mkdtempSync(join(tmpdir(), 'lamina-podman-'));
    const podman = ['--root', join(root, 'storage'), '--runroot', join(root, 'run'), '--storage-driver', 'vfs', '--cgroup-manager', 'cgroupfs', '--events-backend', 'file'];
    try {
      const ref = `${server.address}/bash/gzip:latest`;
      await run('podman', [...podman, 'pull', '--tls-verify=false', ref], { maxBuffer: 16 << 20 });
      const { stdout } = await run('podman', [...podman, 'image', 'inspect', '--format', '{{.Digest}}', ref]);
      const seen = JSON.parse((await inspect(server, 'bash/gzip:latest')).stdout) as { Digest: string };
      expect(stdout.trim()).toBe(seen.Digest);
      expect(server.jobs().filter((j) => j.state === 'succeeded').length).toBeGreaterThan(0);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('lamina serve --registry with a package that fails to build', () => {
  let server: PullServer;
  beforeAll(async () => {
    server = await startPullServer(brokenPackageSet());
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('tells the client which derivation failed and records nothing, so the next pull tries again', async () => {
    const answer = await inspect(server, 'broken:latest');
    expect(answer.code).not.toBe(0);
    expect(answer.stderr).toMatch(/manifest unknown: could not build broken:latest \(job 1\): Building broken-1\.0 failed with exit code 3; its last log line: the test bed breaks here/);
    expect(answer.stderr).toMatch(/nix-store -l \/nix\/store\/[a-z0-9]{32}-broken-1\.0\.drv/);
    expect(server.jobs()).toMatchObject([{ state: 'failed' }]);
    expect(server.cacheRows()).toEqual([]);
    await inspect(server, 'broken:latest');
    expect(server.jobs()).toHaveLength(2);
  });
});
