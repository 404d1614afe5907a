import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A one-off Nix file whose derivations carry a fresh nonce, so Nix really builds
 * them (the store cannot have them yet): `chatty` prints three lines and ends,
 * `slow` prints one line and sleeps, for cancelling, `flood` prints 20,000 lines.
 */
export function freshDerivations(): { dir: string; nonce: string } {
  const nonce = `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const dir = mkdtempSync(join(tmpdir(), 'lamina-drv-'));
  const drv = (name: string, script: string): string =>
    `${name} = derivation { name = "lamina-${name}"; system = builtins.currentSystem; builder = "/bin/sh"; args = [ "-c" ${JSON.stringify(script)} ]; };`;
  writeFileSync(
    join(dir, 'default.nix'),
    `{
  ${drv('chatty', `for i in 1 2 3; do echo "line $i of ${nonce}"; done; echo ok > $out`)}
  ${drv('flood', `i=0; while [ $i -lt 20000 ]; do i=$((i+1)); echo "flood $i of ${nonce}"; done; echo ok > $out`)}
  ${drv('slow', `echo "sleeping ${nonce}"; /bin/sleep 120; echo ok > $out`)}
}
`,
  );
  return { dir, nonce };
}
