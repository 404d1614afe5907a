import { execFileSync } from 'node:child_process';
import { describe, expect, inject, it } from 'vitest';
import { nixSystem, writeThrowawaySet } from '../nix/throwaway-set.js';
import { freshHome, runCli } from './run-cli.js';

interface JsonPlan {
  closure: { paths: number; narSize: number };
  layers: { key: string; paths: string[]; narSize: number }[];
}

describe('lamina plan', () => {
  const source = inject('testbedDir');
  const roots = inject('testbedRoots');
  const outPaths = inject('testbedOutPaths');
  const env = { LAMINA_HOME: freshHome() };
  const closure = execFileSync('nix-store', ['-qR', ...roots.map((r) => outPaths[r]!)], { encoding: 'utf8' }).trim().split('\n').sort();

  it.each(['reuse', 'nixery', 'nixery-faithful', 'popularity', 'single'])('with --strategy %s, its layers hold exactly nix-store -qR of the attributes', async (strategy) => {
    const { code, stdout, stderr } = await runCli(['plan', ...roots, '--source', source, '--strategy', strategy, '--max-layers', '6', '--json'], env);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const plan = JSON.parse(stdout) as JsonPlan;
    const planned = plan.layers.flatMap((l) => l.paths);
    expect(planned.sort()).toEqual(closure);
    expect(new Set(planned).size).toBe(planned.length);
    expect(plan.layers.length).toBeLessThanOrEqual(5);
    expect(plan.closure.paths).toBe(closure.length);
    expect(plan.layers.reduce((sum, l) => sum + l.narSize, 0)).toBe(plan.closure.narSize);
    for (const layer of plan.layers) expect(layer.key).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('gives the same plan every time', async () => {
    const args = ['plan', ...roots, '--source', source, '--json'];
    const [a, b] = await Promise.all([runCli(args, env), runCli(args, env)]);
    expect(a.stdout).toBe(b.stdout);
  });

  it('prints a table for people, with the budget it used', async () => {
    const { code, stdout } = await runCli(['plan', 'bash', '--source', source, '--max-layers', '4', '--strategy', 'popularity'], env);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^LAYER\s+PATHS\s+SIZE\s+STORE\s+LARGEST PATH\s+WHY$/m);
    expect(stdout).toMatch(/libc6-/);
    expect(stdout).toMatch(/in 3 layers \+ 1 customisation layer = 4 of at most 4 \(strategy popularity\)/);
  });

  it.each([
    [['plan', 'bash', '--source', source, '--max-layers', '0'], /max layers is a whole number from 2 to 127/],
    [['plan', 'bash', '--source', source, '--max-layers', 'many'], /max layers is a whole number/],
    [['plan', 'bash', 'nosuchthing', 'alsomissing', '--source', source], /nosuchthing.*alsomissing|alsomissing.*nosuchthing/],
    [['plan', 'bash', '--source', '/nonexistent/lamina-source'], /\/nonexistent\/lamina-source/],
    [['plan', 'bash', '--source', source, '--strategy', 'random'], /random/],
    [['plan', 'bash', '--source', source, '--bogus'], /unknown option '--bogus'/],
    [['plan', 'bash'], /--source/],
    [['plan', 'bash', '--source', source, '--popularity', '/nonexistent/popularity.json'], /popularity/],
  ])('refuses bad input with one line and a non-zero exit: %j', async (args, message) => {
    const { code, stdout, stderr } = await runCli(args, env);
    expect(code).not.toBe(0);
    expect(stdout).toBe('');
    // Progress lines may come first (stderr is not a terminal here); the error is the last line, and only one.
    const lines = stderr.trimEnd().split('\n');
    expect(lines.at(-1)).toMatch(message);
    expect(lines.filter((l) => message.test(l))).toHaveLength(1);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('passes --builders to Nix', async () => {
    // With local builds off, Nix must try the builder named, and its failure names it.
    const fresh = writeThrowawaySet({ remote: 'mkdir $out' });
    const nixConfig = `${process.env.NIX_CONFIG ?? ''}\nmax-jobs = 0`;
    const args = ['plan', 'remote', '--source', fresh, '--builders', `ssh://lamina-cli-builder ${nixSystem()}`];
    const { code, stderr } = await runCli(args, { ...env, NIX_CONFIG: nixConfig });
    expect(code).toBe(1);
    expect(stderr.trimEnd().split('\n').at(-1)).toMatch(/cannot build on 'ssh:\/\/lamina-cli-builder'/);
  });

  it('explains every flag in --help', async () => {
    const { code, stdout } = await runCli(['plan', '--help'], env);
    expect(code).toBe(0);
    for (const flag of ['--source', '--strategy', '--max-layers', '--popularity', '--builders', '--json']) expect(stdout).toContain(flag);
  });
});
