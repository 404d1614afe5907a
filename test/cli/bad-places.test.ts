/**
 * Places Lamina cannot use, given by a person: an export target that cannot be
 * written, a data dir that cannot be made, a lamina.db that is not a database.
 * Each is one line saying what and where, with a non-zero exit and no hang.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { freshHome, runCli, type CliResult } from './run-cli.js';

const source = inject('testbedDir');

function oneLine(result: CliResult): string {
  expect(result.code).toBe(1);
  const lines = result.stderr.trimEnd().split('\n');
  // Progress lines may come first; no stack trace, no internal error.
  expect(lines.filter((l) => /^\s+at |internal error/.test(l))).toEqual([]);
  return lines.at(-1)!;
}

describe('places Lamina cannot use', () => {
  it('says why an export cannot be written, and the image is still built into the store', { timeout: 120_000 }, async () => {
    const home = freshHome();
    const missing = await runCli(['build', 'sed', '--source', source, '--out', 'docker-archive:/nonexistent/dir/a.tar'], { LAMINA_HOME: home });
    expect(oneLine(missing)).toMatch(/^lamina: cannot write the image to docker-archive:\/nonexistent\/dir\/a\.tar: a folder on the way does not exist; pick a writable place$/);
    const file = await runCli(['build', 'sed', '--source', source, '--out', 'oci:/etc/hostname:x'], { LAMINA_HOME: home });
    expect(oneLine(file)).toMatch(/^lamina: cannot write the image to oci:\/etc\/hostname: a part of the path is a file, not a folder/);
    const images = await runCli(['images', '--json'], { LAMINA_HOME: home });
    expect(JSON.parse(images.stdout)).toHaveLength(1);
  });

  it('gives up at once on a data dir that cannot be made, even in /proc', async () => {
    const result = await runCli(['images'], { LAMINA_HOME: '/proc/lamina-nope' });
    expect(oneLine(result)).toBe("lamina: cannot use /proc/lamina-nope as Lamina's data dir (ENOENT); set LAMINA_HOME to a writable folder");
  });

  it('says lamina.db is not a database instead of failing inside SQLite', async () => {
    const home = freshHome();
    writeFileSync(join(home, 'lamina.db'), 'not a database\n'.repeat(100));
    expect(oneLine(await runCli(['images'], { LAMINA_HOME: home }))).toMatch(/lamina\.db is not a readable Lamina database \(not SQLite\); move it aside/);
  });
});
