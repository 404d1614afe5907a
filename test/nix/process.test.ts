import { describe, expect, inject, it } from 'vitest';
import { runNix } from '../../src-main/engine/nix/process.js';

describe('running Nix', () => {
  it('streams stdout line by line and returns it whole', async () => {
    const lines: string[] = [];
    const result = await runNix('nix-store', ['-qR', inject('testbedOutPaths').sed!], { onStdoutLine: (l) => lines.push(l) });
    expect(result.exitCode).toBe(0);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines).toEqual(result.stdout.split('\n').filter(Boolean));
  });

  it('returns a failure with its stderr instead of throwing', async () => {
    const stderr: string[] = [];
    const result = await runNix('nix-store', ['-q', '--frobnicate'], { onStderrLine: (l) => stderr.push(l) });
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toEqual(stderr);
    expect(stderr[0]).toBe("error: unknown flag '--frobnicate'");
  });
});
