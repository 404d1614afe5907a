/**
 * Writes a real docker credential helper for the tests: an executable
 * `docker-credential-NAME` speaking docker's protocol (`get`, the server on
 * stdin, JSON on stdout), which also appends every server it is asked for to
 * `asked`, so tests can check what Lamina asked and when.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface HelperLogin {
  readonly username: string;
  readonly secret: string;
}

export function writeCredentialHelper(bin: string, name: string, asked: string, logins: Readonly<Record<string, HelperLogin>>): string {
  mkdirSync(bin, { recursive: true });
  const file = join(bin, `docker-credential-${name}`);
  const cases = Object.entries(logins)
    .map(([server, { username, secret }]) => `  ${server}) echo '${JSON.stringify({ ServerURL: server, Username: username, Secret: secret })}' ;;`)
    .join('\n');
  writeFileSync(
    file,
    `#!/bin/sh
[ "$1" = get ] || exit 2
read server
echo "$server" >> '${asked}'
case "$server" in
${cases}
  *) echo "credentials not found in native keychain"; exit 1 ;;
esac
`,
  );
  chmodSync(file, 0o755);
  return file;
}
