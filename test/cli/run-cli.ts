/**
 * Runs the built `lamina` CLI (out/main/cli.js, made by `npm run build`) as a
 * person would, in a child process with its own data dir.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const BIN = resolve(import.meta.dirname, '../../bin/lamina.mjs');
const BUILT = resolve(import.meta.dirname, '../../out/main/cli.js');

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function freshHome(): string {
  return mkdtempSync(join(tmpdir(), 'lamina-home-'));
}

/** The argv to spawn with `process.execPath` to run the built CLI: what ships, bundled. */
export function cliArgv(args: readonly string[]): string[] {
  if (!existsSync(BUILT)) throw new Error('the CLI is not built: run `npm run build` before these tests (npm test does)');
  return [BIN, ...args];
}

export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}, cwd?: string): Promise<CliResult> {
  const argv = cliArgv(args);
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, argv, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], ...(cwd ? { cwd } : {}) });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}
