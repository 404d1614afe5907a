/**
 * Starts `lamina serve --registry` (the built CLI) in a child process with its
 * own data dir, and Nix behind wrappers that log every Nix program run, so a test
 * can tell whether a request reached Nix at all.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../src-main/engine/db/database.js';
import { cliArgv, freshHome } from '../cli/run-cli.js';
import { wrappedNix } from '../nix/throwaway-set.js';

const NIX_PROGRAMS = ['nix', 'nix-build', 'nix-instantiate', 'nix-store', 'nix-env'];

export interface PullServer {
  /** HOST:PORT */
  readonly address: string;
  readonly home: string;
  /** Nix programs run so far, by name, in order. */
  nixRuns(): string[];
  /** Image-build jobs in the data dir, oldest first. */
  jobs(): { id: number; state: string; error: string | null }[];
  /** Rows of the pull cache. */
  cacheRows(): { repository: string; manifest_digest: string }[];
  stop(): Promise<void>;
}

export async function startPullServer(source: string, extraArgs: readonly string[] = []): Promise<PullServer> {
  const home = freshHome();
  const nix = wrappedNix(NIX_PROGRAMS);
  const child = spawn(process.execPath, cliArgv(['serve', '--registry', '--source', source, '--port', '0', ...extraArgs]), {
    env: { ...process.env, LAMINA_HOME: home, PATH: `${nix.dir}:${process.env.PATH ?? ''}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const address = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (out.includes('\n')) resolve(out.trim());
    });
    child.once('exit', (code) => reject(new Error(`lamina serve --registry exited with ${code}: ${stderr}`)));
  });
  let db: Db | undefined;
  const database = (): Db => (db ??= openDatabase(join(home, 'lamina.db')));
  return {
    address,
    home,
    nixRuns: nix.runs,
    jobs: () => database().prepare("SELECT id, state, error FROM jobs WHERE kind = 'image-build' ORDER BY id").all() as { id: number; state: string; error: string | null }[],
    cacheRows: () => database().prepare('SELECT repository, manifest_digest FROM pull_images ORDER BY repository').all() as { repository: string; manifest_digest: string }[],
    stop: async () => {
      db?.close();
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A package set whose only package fails to build, as a broken recipe would. */
export function brokenPackageSet(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lamina-broken-set-'));
  writeFileSync(
    join(dir, 'default.nix'),
    `{
  broken = derivation {
    name = "broken-1.0";
    system = builtins.currentSystem;
    builder = "/bin/sh";
    PATH = "/usr/bin:/bin";
    # A fresh derivation per test run, so Nix really runs the builder.
    args = [ "-c" "echo ${dir} >/dev/null; echo the test bed breaks here; exit 3" ];
  };
}
`,
  );
  if (!existsSync(join(dir, 'default.nix'))) throw new Error('could not write the broken package set');
  return dir;
}
