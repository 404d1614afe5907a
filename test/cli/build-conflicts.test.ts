/**
 * Two packages that both provide bin/tool, built for real with Nix and the built
 * CLI: the conflict is reported (stderr, --json, the job log) on a fresh build
 * and on a fully cached one, Nix's lines name their derivation, and each built
 * layer carries the key `plan --json` gives it.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src-main/engine/db/database.js';
import { JobRunner } from '../../src-main/engine/jobs/runner.js';
import { writeThrowawaySet } from '../nix/throwaway-set.js';
import { freshHome, runCli } from './run-cli.js';

interface JsonBuild {
  layers: { key: string; planKey: string | null; cached: boolean; paths: number }[];
  conflicts: { path: string; kept: string; ignored: string[] }[];
}

const tool = (who: string): string =>
  `mkdir -p $out/bin && printf '#!/bin/sh\\necho ${who}\\n' > $out/bin/tool && chmod +x $out/bin/tool && touch $out/bin/only-${who} && echo "hello from ${who}"`;

describe('lamina build with two packages providing the same file', () => {
  const source = writeThrowawaySet({ toola: tool('a'), toolb: tool('b') });
  const home = freshHome();
  const env = { LAMINA_HOME: home };
  let fresh: Awaited<ReturnType<typeof runCli>>;

  beforeAll(async () => {
    // Not --json: Nix's own lines are shown, and the packages are new to this store, so Nix builds them now.
    fresh = await runCli(['build', 'toola', 'toolb', '--source', source, '--tag', 'tools'], env);
  });

  it('names the conflict on one stderr line: the first package named wins', () => {
    expect(fresh.code, fresh.stderr).toBe(0);
    const lines = fresh.stderr.split('\n').filter((l) => l.includes('/bin/tool:'));
    expect(lines).toEqual([
      expect.stringMatching(
        /^lamina: \/bin\/tool: kept \/nix\/store\/[0-9a-z]{32}-toola-\w+, skipped \/nix\/store\/[0-9a-z]{32}-toolb-\w+ \(the first package named wins; reorder the packages to change it\)$/,
      ),
    ]);
    // A file only one package has is no conflict.
    expect(fresh.stderr).not.toMatch(/only-/);
  });

  it("prefixes Nix's lines with the derivation they came from", () => {
    const nixLines = fresh.stderr.split('\n').filter((l) => l.includes('hello from'));
    expect(nixLines.sort()).toEqual([expect.stringMatching(/^ {2}\[toola-\w+\] hello from a$/), expect.stringMatching(/^ {2}\[toolb-\w+\] hello from b$/)]);
  });

  it('reports the conflict again when every layer comes from the cache, in --json and on stderr, and reordering flips it', async () => {
    const cached = await runCli(['build', 'toola', 'toolb', '--source', source, '--tag', 'tools', '--json'], env);
    expect(cached.code, cached.stderr).toBe(0);
    const result = JSON.parse(cached.stdout) as JsonBuild;
    expect(result.layers.every((l) => l.cached)).toBe(true);
    expect(result.conflicts).toEqual([
      { path: '/bin/tool', kept: expect.stringMatching(/-toola-\w+$/) as unknown, ignored: [expect.stringMatching(/-toolb-\w+$/) as unknown] },
    ]);
    expect(cached.stderr).toMatch(/^lamina: \/bin\/tool: kept \S+-toola-\w+, skipped \S+-toolb-\w+ /m);

    const reversed = await runCli(['build', 'toolb', 'toola', '--source', source, '--tag', 'tools', '--json'], env);
    expect((JSON.parse(reversed.stdout) as JsonBuild).conflicts).toEqual([
      { path: '/bin/tool', kept: expect.stringMatching(/-toolb-\w+$/) as unknown, ignored: [expect.stringMatching(/-toola-\w+$/) as unknown] },
    ]);
  });

  it('gives each built layer the key plan --json gives it', async () => {
    const built = await runCli(['build', 'toola', 'toolb', '--source', source, '--tag', 'tools', '--max-layers', '3', '--json'], env);
    const planned = await runCli(['plan', 'toola', 'toolb', '--source', source, '--max-layers', '3', '--json'], env);
    expect(built.code, built.stderr).toBe(0);
    const layers = (JSON.parse(built.stdout) as JsonBuild).layers;
    const planKeys = (JSON.parse(planned.stdout) as { layers: { key: string }[] }).layers.map((l) => l.key);
    expect(layers.map((l) => l.planKey)).toEqual([...planKeys, null]);
    for (const layer of layers) expect(layer.key).not.toBe(layer.planKey);
  });

  it("logs the conflict and the derivation-named Nix lines in the job's log, which the app shows", async () => {
    const db = openDatabase(join(home, 'lamina.db'));
    const runner = new JobRunner(db, {});
    try {
      const first = runner.list().at(-1)!;
      const log = runner.log(first.id).map((l) => l.text);
      expect(log).toContainEqual(expect.stringMatching(/^Conflict: \/bin\/tool: kept \S+-toola-\w+, skipped \S+-toolb-\w+ \(the first package named wins/));
      expect(log).toContainEqual(expect.stringMatching(/^\[toola-\w+\] hello from a$/));
      expect((first.result as JsonBuild).conflicts).toHaveLength(1);
    } finally {
      await runner.close();
      db.close();
    }
  });
});
