import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase } from '../../src-main/engine/db/database.js';
import { freshHome, runCli } from '../cli/run-cli.js';
import { makeTestImage, noise, type TestImage } from './fixtures/test-image.js';
import { writeTestLayout } from './fixtures/oci-layout.js';
import { startRegistry, type RunningRegistry } from './servers/registry-server.js';

describe('lamina push and inspect', () => {
  let open: RunningRegistry;
  let locked: RunningRegistry;
  let image: TestImage;
  let layout: string;
  const home = freshHome();
  const env = { LAMINA_HOME: home, DOCKER_CONFIG: join(home, 'docker'), REGISTRY_AUTH_FILE: join(home, 'auth.json') };

  beforeAll(async () => {
    [open, locked] = await Promise.all([startRegistry(), startRegistry({ kind: 'htpasswd', users: { carol: 's3cret' } })]);
    image = await makeTestImage([{ 'bin/tool': noise(50_000, 20) }, { 'etc/motd': 'welcome\n' }], ['PATH=/bin', 'LANG=C']);
    layout = join(mkdtempSync(join(tmpdir(), 'lamina-layout-')), 'layout');
    await writeTestLayout(image, layout, 'v1');
  });
  afterAll(async () => {
    await open?.stop();
    await locked?.stop();
  });

  it('pushes an OCI layout and prints exactly the JSON promised; a second push uploads nothing', async () => {
    const first = await runCli(['push', `oci:${layout}:v1`, `docker://${open.host}/cli/app:v1`, '--json'], env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const result = JSON.parse(first.stdout) as { digest: string; blobs: { digest: string; size: number; action: string }[] };
    expect(Object.keys(result)).toEqual(['digest', 'blobs']);
    expect(result.digest).toBe(image.manifestDigest);
    expect(result.blobs).toEqual(image.blobs.map((b) => ({ digest: b.digest, size: b.size, action: 'uploaded' })));

    const again = JSON.parse((await runCli(['push', `oci:${layout}:v1`, `docker://${open.host}/cli/app:v1`, '--json'], env)).stdout) as typeof result;
    expect(again.blobs.map((b) => b.action)).toEqual(['exists', 'exists', 'exists']);
    const elsewhere = JSON.parse((await runCli(['push', `oci:${layout}:v1`, `docker://${open.host}/cli/copy:v1`, '--json'], env)).stdout) as typeof result;
    expect(elsewhere.blobs.map((b) => b.action)).toEqual(['mounted', 'mounted', 'mounted']);
  });

  it('pushes a docker archive', async () => {
    const archive = join(mkdtempSync(join(tmpdir(), 'lamina-archive-')), 'image.tar');
    execFileSync('skopeo', ['copy', `oci:${layout}:v1`, `docker-archive:${archive}:cli/archived:v1`], { stdio: 'ignore' });
    const pushed = await runCli(['push', `docker-archive:${archive}`, `docker://${open.host}/cli/archived:v1`], env);
    expect(pushed.code, pushed.stderr).toBe(0);
    const line = new RegExp(`^pushed ${open.host}/cli/archived:v1@(sha256:[0-9a-f]{64}) \\(blobs: \\d+ uploaded, \\d+ mounted, \\d+ already there; [\\d.]+ (?:B|KiB) sent\\)\n$`).exec(pushed.stdout);
    expect(line, pushed.stdout).not.toBeNull();
    const out = execFileSync('skopeo', ['inspect', '--tls-verify=false', `docker://${open.host}/cli/archived:v1`], { encoding: 'utf8' });
    expect((JSON.parse(out) as { Digest: string }).Digest).toBe(line![1]);
    // One line per blob and one for the manifest on stderr, for people.
    expect(pushed.stderr).toMatch(/^ {2}(uploaded|mounted|exists) +[0-9a-f]{12} /m);
    expect(pushed.stderr).toMatch(/^ {2}manifest [0-9a-f]{12}$/m);
  });

  it('copies an image between registries, and every push from the terminal is a job the app lists, without the login', async () => {
    const copied = await runCli(['push', `docker://${open.host}/cli/app:v1`, `docker://${locked.host}/cli/copied:v1`, '--creds', 'carol:s3cret', '--json'], env);
    expect(copied.code, copied.stderr).toBe(0);
    const result = JSON.parse(copied.stdout) as { digest: string; blobs: { action: string }[] };
    expect(result.digest).toBe(image.manifestDigest);
    expect(result.blobs.map((b) => b.action)).toEqual(['uploaded', 'uploaded', 'uploaded']);
    const out = execFileSync('skopeo', ['inspect', '--tls-verify=false', '--creds', 'carol:s3cret', `docker://${locked.host}/cli/copied:v1`], { encoding: 'utf8' });
    expect((JSON.parse(out) as { Digest: string }).Digest).toBe(image.manifestDigest);

    const db = openDatabase(join(home, 'lamina.db'));
    try {
      const jobs = db.prepare("SELECT title, input, state, result FROM jobs WHERE kind = 'push' ORDER BY id").all() as { title: string; input: string; state: string; result: string }[];
      expect(jobs.map((j) => j.title)).toContain(`push docker://${open.host}/cli/app:v1 to ${locked.host}/cli/copied:v1`);
      expect(jobs.length).toBeGreaterThanOrEqual(5);
      expect(jobs.every((j) => j.state === 'succeeded')).toBe(true);
      expect((JSON.parse(jobs.at(-1)!.result) as { digest: string }).digest).toBe(image.manifestDigest);
      // The login travels with the process, never into the stored job.
      expect(jobs.some((j) => j.input.includes('s3cret') || j.input.includes('carol'))).toBe(false);
    } finally {
      db.close();
    }
  });

  it('inspects the pushed image, the layout and the registry alike', async () => {
    const remote = await runCli(['inspect', `docker://${open.host}/cli/app:v1`, '--json'], env);
    expect(remote.code).toBe(0);
    const fromRegistry = JSON.parse(remote.stdout) as { digest: string; mediaType: string; config: { config: { Env: string[] } }; layers: unknown[] };
    expect(Object.keys(fromRegistry)).toEqual(['digest', 'mediaType', 'config', 'layers']);
    expect(fromRegistry.digest).toBe(image.manifestDigest);
    expect(fromRegistry.config.config.Env).toEqual(['PATH=/bin', 'LANG=C']);
    expect(fromRegistry.layers).toEqual(image.blobs.slice(1).map(({ digest, size, mediaType }) => ({ digest, size, mediaType })));

    const local = JSON.parse((await runCli(['inspect', `oci:${layout}:v1`, '--json'], env)).stdout) as unknown;
    expect(local).toEqual(fromRegistry);

    const human = await runCli(['inspect', `docker://${open.host}/cli/app:v1`], env);
    expect(human.stdout).toContain(`digest:     ${image.manifestDigest}`);
    expect(human.stdout).toContain('platform:   linux/amd64');
  });

  it('pushes an image that lamina build put in the store, by name, and skopeo reads the same digest', async () => {
    const built = await runCli(['build', 'sed', '--source', inject('testbedDir'), '--max-layers', '3', '--tag', 'sed-image', '--json'], env);
    expect(built.code, built.stderr).toBe(0);
    const { manifestDigest } = JSON.parse(built.stdout) as { manifestDigest: string };
    const pushed = await runCli(['push', 'sed-image', `docker://${open.host}/cli/sed:v1`, '--json', '--jobs', '2'], env);
    expect(pushed.code, pushed.stderr).toBe(0);
    expect((JSON.parse(pushed.stdout) as { digest: string }).digest).toBe(manifestDigest);
    const out = execFileSync('skopeo', ['inspect', '--tls-verify=false', `docker://${open.host}/cli/sed:v1`], { encoding: 'utf8' });
    expect((JSON.parse(out) as { Digest: string }).Digest).toBe(manifestDigest);
    // The store is one more location: inspect and export take the image by name, as push does.
    const inspected = await runCli(['inspect', 'sed-image', '--json'], env);
    expect(inspected.code, inspected.stderr).toBe(0);
    expect((JSON.parse(inspected.stdout) as { digest: string }).digest).toBe(manifestDigest);
    const fromRegistry = JSON.parse((await runCli(['inspect', `docker://${open.host}/cli/sed:v1`, '--json'], env)).stdout) as unknown;
    expect(JSON.parse(inspected.stdout)).toEqual(fromRegistry);
  });

  it('uses --creds and refuses a wrong password, an unknown host and a missing image with one line each', async () => {
    const ok = await runCli(['push', `oci:${layout}:v1`, `docker://${locked.host}/cli/app:v1`, '--creds', 'carol:s3cret', '--json'], env);
    expect(ok.code).toBe(0);

    const cases: [string[], RegExp][] = [
      [['push', `oci:${layout}:v1`, `docker://${locked.host}/cli/app:v1`, '--creds', 'carol:wrong'], /refused the credentials .* check the user name and password/],
      [['push', `oci:${layout}:v1`, 'docker://no-such-registry.invalid/cli/app:v1'], /cannot find the registry host no-such-registry\.invalid; check its name/],
      [['inspect', `docker://${open.host}/cli/missing:v1`], /(does not exist|has no such image)/],
      [['inspect', `docker://${open.host}/cli/app:nope`], /has no such image to read manifest nope/],
      [['push', `oci:${layout}:v1`, `${open.host}/cli/app:v1`], /not a registry location; write docker:\/\//],
      [['push', `oci:${layout}:v1`, `docker://${locked.host}/cli/app:v1`], new RegExp(`^lamina: ${locked.host.replace(/\./g, '\\.')} needs a login: pass --creds USER:PASS, run docker login / skopeo login, or add the registry in Lamina's Settings$`)],
      [['inspect', 'docker://bob:wrong@127.0.0.1:5000/x:y'], /^lamina: invalid image reference "\*\*\*@127\.0\.0\.1:5000\/x:y": a login \(USER:PASS@\) does not go in a reference/],
    ];
    for (const [args, message] of cases) {
      const run = await runCli(args, env);
      expect(run.code, args.join(' ')).not.toBe(0);
      const lines = run.stderr.trim().split('\n');
      expect(lines, run.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(message);
      expect(run.stderr).not.toContain('wrong');
    }
  });

  it('needs no credential helper until a registry asks for a login', async () => {
    const { mkdirSync, writeFileSync } = await import('node:fs');
    const docker = join(home, 'docker-desktop');
    mkdirSync(docker, { recursive: true });
    writeFileSync(join(docker, 'config.json'), JSON.stringify({ credsStore: 'desktop' }));
    const desktop = { ...env, DOCKER_CONFIG: docker };
    const anonymous = await runCli(['push', `oci:${layout}:v1`, `docker://${open.host}/cli/desktop:v1`, '--json'], desktop);
    expect(anonymous.stderr).toBe('');
    expect(anonymous.code).toBe(0);
    const refused = await runCli(['inspect', `docker://${locked.host}/cli/app:v1`], desktop);
    expect(refused.stderr).toBe(
      `lamina: a login for ${locked.host} is to come from docker-credential-desktop ("credsStore" in ${join(docker, 'config.json')}), which is not installed; install it, remove that entry, or pass --creds USER:PASS\n`,
    );
  });

  it('reads credentials from a containers auth.json', async () => {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(env.REGISTRY_AUTH_FILE, JSON.stringify({ auths: { [locked.host]: { auth: Buffer.from('carol:s3cret').toString('base64') } } }));
    const run = await runCli(['inspect', `docker://${locked.host}/cli/app:v1`, '--json'], env);
    expect(run.stderr).toBe('');
    expect((JSON.parse(run.stdout) as { digest: string }).digest).toBe(image.manifestDigest);
  });
});
