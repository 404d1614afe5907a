import { describe, expect, inject, it } from 'vitest';
import { freshHome, runCli } from '../cli/run-cli.js';

describe('lamina serve --registry flags', () => {
  it('warns before listening beyond loopback, and says in one line when it cannot', async () => {
    // 192.0.2.1 is TEST-NET-1: never this machine's, so nothing is exposed while the warning is checked.
    const { code, stderr } = await runCli(['serve', '--registry', '--source', inject('testbedDir'), '--listen', '192.0.2.1'], { LAMINA_HOME: freshHome() });
    expect(code).toBe(1);
    const lines = stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^lamina: warning: the registry listens on 192\.0\.2\.1, not only on this machine: .*no authentication/);
    expect(lines.slice(1)).toEqual([expect.stringMatching(/^lamina: cannot listen on 192\.0\.2\.1: /)]);
  });

  it('refuses --source and --listen without --registry, and a source that does not exist', async () => {
    const home = { LAMINA_HOME: freshHome() };
    const alone = await runCli(['serve', '--source', inject('testbedDir')], home);
    expect(alone.code).toBe(1);
    expect(alone.stderr).toMatch(/--source and --listen go with --registry/);
    const missing = await runCli(['serve', '--registry', '--source', '/no/such/folder'], home);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^lamina: Package source \/no\/such\/folder does not exist/)]);
  });
});
