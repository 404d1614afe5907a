import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src-main/engine/db/database.js';
import { LaminaError } from '../../src-shared/errors.js';
import { normaliseHost, RegistrySettings } from '../../src-main/engine/logins/registry-settings.js';
import type { SecretSealer } from '../../src-main/engine/logins/secret-keepers.js';

/**
 * Electron's safeStorage cannot run here; this sealer does what it does (AES with
 * a key the database never sees), so the tests can check that what reaches the
 * database is the sealed form only.
 */
function aesSealer(): SecretSealer {
  const key = randomBytes(32);
  return {
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decrypt(sealed) {
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
      decipher.setAuthTag(sealed.subarray(12, 28));
      return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

function freshDb(): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'lamina-registries-'));
  return { dir, file: join(dir, 'lamina.db') };
}

/** Every byte SQLite wrote (database, WAL, shared memory), to look for a secret in it. */
function databaseBytes(dir: string): Buffer {
  return Buffer.concat(readdirSync(dir).map((name) => readFileSync(join(dir, name))));
}

describe('registries set up by the user', () => {
  it('keeps a sealed secret out of the database in plain text, and gives it back for a push', async () => {
    const { dir, file } = freshDb();
    const db = openDatabase(file);
    const sealer = aesSealer();
    const secret = `s3cret-${randomBytes(8).toString('hex')}`;
    const settings = new RegistrySettings(db, sealer);
    const entry = await settings.save({ host: 'Registry.Example.com:5000', username: 'alice', secret, keep: 'safe-storage' });
    expect(entry).toMatchObject({ host: 'registry.example.com:5000', username: 'alice', keep: 'safe-storage', secretAvailable: true, tlsVerify: true });
    expect(JSON.stringify(await settings.list())).not.toContain(secret);
    expect(await settings.credentials('registry.example.com:5000')).toEqual({ username: 'alice', password: secret });
    db.pragma('wal_checkpoint(TRUNCATE)');
    expect(databaseBytes(dir).includes(Buffer.from(secret))).toBe(false);

    // A restart with the same keychain still has it; without one, the secret is there but cannot be used.
    db.close();
    const again = openDatabase(file);
    expect((await new RegistrySettings(again, sealer).list())[0]?.secretAvailable).toBe(true);
    expect((await new RegistrySettings(again).list())[0]?.secretAvailable).toBe(false);
    again.close();
  });

  it('keeps a session secret in memory only: usable now, gone for the next process, never in the database', async () => {
    const { dir, file } = freshDb();
    const db = openDatabase(file);
    const secret = `session-${randomBytes(8).toString('hex')}`;
    const settings = new RegistrySettings(db);
    await settings.save({ host: '127.0.0.1:5000', username: 'bob', secret, keep: 'session', tlsVerify: false });
    expect(await settings.credentials('127.0.0.1:5000')).toEqual({ username: 'bob', password: secret });
    db.pragma('wal_checkpoint(TRUNCATE)');
    expect(databaseBytes(dir).includes(Buffer.from(secret))).toBe(false);
    const next = new RegistrySettings(db);
    expect(await next.list()).toEqual([expect.objectContaining({ host: '127.0.0.1:5000', username: 'bob', keep: 'session', secretAvailable: false, tlsVerify: false })]);
    expect(await next.credentials('127.0.0.1:5000')).toBeUndefined();
    db.close();
  });

  it('replaces an entry on save and forgets it on remove', async () => {
    const db = openDatabase(':memory:');
    const settings = new RegistrySettings(db, aesSealer());
    await settings.save({ host: 'ghcr.io', username: 'one', secret: 'a', keep: 'session' });
    await settings.save({ host: 'ghcr.io', username: 'two', secret: 'b', keep: 'safe-storage' });
    expect((await settings.list()).map((e) => [e.host, e.username, e.keep])).toEqual([['ghcr.io', 'two', 'safe-storage']]);
    expect(await settings.credentials('ghcr.io')).toEqual({ username: 'two', password: 'b' });
    await settings.remove('ghcr.io');
    expect(await settings.list()).toEqual([]);
    await expect(settings.remove('ghcr.io')).rejects.toThrow('ghcr.io is not among the registries set up in Settings');
  });

  it('refuses bad input with one line that says what to give', async () => {
    const settings = new RegistrySettings(openDatabase(':memory:'));
    await expect(settings.save({ host: 'https://ghcr.io/v2', username: 'u', secret: 's', keep: 'session' })).rejects.toThrow('give the registry host without a scheme, e.g. ghcr.io');
    await expect(settings.save({ host: 'ghcr.io', username: 'u', secret: 's', keep: 'safe-storage' })).rejects.toThrow(/only there in the desktop app/);
    await expect(settings.save({ host: 'ghcr.io', username: 'u', secret: 's', keep: 'helper', helper: '../evil' })).rejects.toThrow(/not a credential helper name/);
    await expect(settings.save({ host: 'ghcr.io', username: 'u', secret: 's', keep: 'helper', helper: 'nonesuch' })).rejects.toThrow(
      'the credential helper docker-credential-nonesuch is not installed; install it or keep the secret another way',
    );
    expect(await settings.list()).toEqual([]);
    for (const bad of ['bad host', 'a/b', '']) {
      expect(() => normaliseHost(bad)).toThrow(LaminaError);
    }
    expect(['ghcr.io', 'localhost:5000', '127.0.0.1:5000', '[::1]:5000'].map(normaliseHost)).toEqual(['ghcr.io', 'localhost:5000', '127.0.0.1:5000', '[::1]:5000']);
  });
});
