import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src-main/engine/db/database.js';
import { RegistrySettings } from '../../src-main/engine/logins/registry-settings.js';

/**
 * Helpers that answer the way some real ones do: one that refuses without reading
 * what it was sent (the write into its stdin then fails with EPIPE), and one that
 * keeps an identity token (docker's `<token>` user name) rather than a password.
 */
describe('logins kept in credential helpers that answer unusually', () => {
  const root = mkdtempSync(join(tmpdir(), 'lamina-helper-answers-'));
  const savedPath = process.env.PATH;
  const helper = (name: string, script: string) => {
    const file = join(root, `docker-credential-${name}`);
    writeFileSync(file, `#!/bin/sh\n${script}`);
    chmodSync(file, 0o755);
  };

  beforeAll(() => {
    helper('lamina-refuses', 'exit 1\n');
    helper(
      'lamina-token',
      `case "$1" in
  store|erase) cat > /dev/null ;;
  get) echo '{"ServerURL":"token.example","Username":"<token>","Secret":"refresh-me"}' ;;
  *) exit 2 ;;
esac
`,
    );
    process.env.PATH = `${root}:${savedPath}`;
  });
  afterAll(() => {
    process.env.PATH = savedPath;
  });

  it('reports a helper that exits without reading the secret as one failure, not a broken pipe', async () => {
    const db = openDatabase(join(root, 'refuses.db'));
    // More than a pipe holds, so the helper is gone before the secret is written.
    const secret = 'x'.repeat(1 << 20);
    await expect(new RegistrySettings(db).save({ host: 'epipe.example', username: 'u', secret, keep: 'helper', helper: 'lamina-refuses' })).rejects.toThrow(
      /^docker-credential-lamina-refuses store failed for epipe\.example; run it by hand to see why \(is its store unlocked\?\)$/,
    );
    expect(await new RegistrySettings(db).list()).toEqual([]);
    db.close();
  });

  it('uses a <token> answer as an identity token, not as a user name and password', async () => {
    const db = openDatabase(join(root, 'token.db'));
    const settings = new RegistrySettings(db);
    await settings.save({ host: 'token.example', username: 'carol', secret: 'refresh-me', keep: 'helper', helper: 'lamina-token' });
    expect(await settings.credentials('token.example')).toEqual({ username: '', password: '', identityToken: 'refresh-me' });
    expect(await settings.list()).toEqual([expect.objectContaining({ host: 'token.example', helper: 'lamina-token', secretAvailable: true })]);
    db.close();
  });
});
