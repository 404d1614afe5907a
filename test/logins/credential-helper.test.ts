import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src-main/engine/db/database.js';
import { RegistrySettings } from '../../src-main/engine/logins/registry-settings.js';
import { findCredentialHelpers } from '../../src-main/engine/registry/credential-helper.js';
import { keepingHelper } from '../../src-main/engine/logins/secret-keepers.js';

/**
 * Debian's docker-credential-pass over a real `pass` store, with a gpg key made
 * for the test (no passphrase), so the helper protocol runs end to end.
 */
describe('registry secrets in a docker credential helper (docker-credential-pass)', () => {
  beforeAll(() => {
    process.env.GNUPGHOME = mkdtempSync(join(tmpdir(), 'lamina-gnupg-'));
    process.env.PASSWORD_STORE_DIR = mkdtempSync(join(tmpdir(), 'lamina-pass-'));
    execFileSync('gpg', ['--batch', '--passphrase', '', '--quick-gen-key', 'lamina-test@example.invalid', 'default', 'default', 'never'], { stdio: 'ignore' });
    const fingerprint = /^fpr:+([0-9A-F]+):/m.exec(execFileSync('gpg', ['--list-keys', '--with-colons'], { encoding: 'utf8' }))![1]!;
    execFileSync('pass', ['init', fingerprint], { stdio: 'ignore' });
  });

  it('stores the secret in the helper, not the database; a new process reads it; remove erases it', async () => {
    expect(await findCredentialHelpers()).toContain('pass');
    const dir = mkdtempSync(join(tmpdir(), 'lamina-registries-'));
    const db = openDatabase(join(dir, 'lamina.db'));
    const secret = `helper-secret-${process.pid}`;
    await new RegistrySettings(db).save({ host: 'registry.example:5000', username: 'carol', secret, keep: 'helper', helper: 'pass' });
    db.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = Buffer.concat(readdirSync(dir).map((name) => readFileSync(join(dir, name))));
    expect(bytes.includes(Buffer.from(secret))).toBe(false);

    const later = new RegistrySettings(db);
    expect(await later.list()).toEqual([expect.objectContaining({ host: 'registry.example:5000', keep: 'helper', helper: 'pass', secretAvailable: true })]);
    expect(await later.credentials('registry.example:5000')).toEqual({ username: 'carol', password: secret });
    expect(await keepingHelper('pass').list()).toEqual({ 'registry.example:5000': 'carol' });

    // Moving the secret to the session erases it from the helper.
    await later.save({ host: 'registry.example:5000', username: 'carol', secret, keep: 'session' });
    expect(await keepingHelper('pass').get('registry.example:5000')).toBeUndefined();
    await later.save({ host: 'registry.example:5000', username: 'carol', secret, keep: 'helper', helper: 'pass' });
    await later.remove('registry.example:5000');
    expect(await keepingHelper('pass').get('registry.example:5000')).toBeUndefined();
    db.close();
  });
});
