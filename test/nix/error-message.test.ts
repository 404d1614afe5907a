import { describe, expect, it } from 'vitest';
import { errorGist, nixFailure } from '../../src-main/engine/nix/error-message.js';
import { NixLogReader } from '../../src-main/engine/nix/log.js';

// As Nix 2.8 prints them (from --log-format internal-json, ANSI codes kept).
const NIX_2_8_MISSING =
  "\u001b[31;1merror:\u001b[0m attribute '\u001b[35;1mz\u001b[0m' missing\n\n       \u001b[34;1mat \u001b[35;1m/tmp/nixexp/default.nix:4:30\u001b[0m:\n\n" +
  '            3|   b = 1;\n            4|   c = let x = { y = 1; }; in x.z;\n             |                              \u001b[31;1m^\u001b[0m\n' +
  '            5|   e = throw "custom failure here";\n       Did you mean \u001b[35;1my\u001b[0m?';
const NIX_2_8_SELECTION =
  "\u001b[31;1merror:\u001b[0m attribute '\u001b[35;1mzz\u001b[0m' in selection path '\u001b[35;1mzz\u001b[0m' not found\n" +
  '       Did you mean one of \u001b[35;1ma\u001b[0m, \u001b[35;1mb\u001b[0m, \u001b[35;1mc\u001b[0m or \u001b[35;1me\u001b[0m?';
// As Nix 2.13+ prints them: the trace first, the error itself last.
const NIX_2_13_TRACE = `error:
       … while calling the 'derivationStrict' builtin

         at /builtin/derivation.nix:9:12: (source not available)

       … while evaluating derivation 'hello'
         whose name attribute is located at /tmp/x.nix:2:3

       error: undefined variable 'foo'

       at /tmp/x.nix:3:8:

            2|   name = "hello";
            3|   src = foo;
             |        ^`;
const NIX_2_8_SHOW_TRACE = `error: custom failure here

       at /tmp/y.nix:1:6:

            1| { e = throw "custom failure here"; }
             |      ^

       … while evaluating the attribute 'e'`;

describe('Nix error messages', () => {
  it('keeps the gist, the location and the suggestion on one line', () => {
    expect(errorGist(NIX_2_8_MISSING)).toBe("attribute 'z' missing (at /tmp/nixexp/default.nix:4:30) Did you mean y?");
    expect(errorGist(NIX_2_8_SELECTION)).toBe("attribute 'zz' in selection path 'zz' not found Did you mean one of a, b, c or e?");
    expect(errorGist(NIX_2_13_TRACE)).toBe("undefined variable 'foo' (at /tmp/x.nix:3:8)");
    expect(errorGist(NIX_2_8_SHOW_TRACE)).toBe('custom failure here (at /tmp/y.nix:1:6)');
    expect(errorGist("error: file 'nixpkgs' was not found in the Nix search path (add it using $NIX_PATH or -I)\n\n       at «string»:6:50:")).toBe(
      "file 'nixpkgs' was not found in the Nix search path (add it using $NIX_PATH or -I)",
    );
  });

  it('drops the error prefix of nested messages', () => {
    const nested = "cannot build on 'ssh://h': \u001b[31;1merror:\u001b[0m cannot connect to '\u001b[35;1mh\u001b[0m': ssh: Could not resolve hostname h";
    expect(errorGist(nested)).toBe("cannot build on 'ssh://h': cannot connect to 'h': ssh: Could not resolve hostname h");
  });

  it('reports a failed builder by derivation and last log line', () => {
    const path = '/nix/store/ys9hqy312qhf3cx2b9lkx7fj4njssjab-exp-b-1795448412.drv';
    const reader = new NixLogReader();
    for (const line of [
      `@nix {"action":"start","fields":["${path}","",1,1],"id":5,"level":3,"text":"building","type":105}`,
      '@nix {"action":"result","fields":["failing now"],"id":5,"type":101}',
      '@nix {"action":"result","fields":[""],"id":5,"type":101}',
      `@nix {"action":"msg","level":0,"msg":"\\u001b[31;1merror:\\u001b[0m builder for '\\u001b[35;1m${path}\\u001b[0m' failed with exit code 3"}`,
    ]) {
      reader.read(line);
    }
    const err = nixFailure('Nix could not build', { exitCode: 100, stdout: '', stderr: [] }, reader);
    expect(err.code).toBe('nix-build-failed');
    expect(err.message).toBe(`Building exp-b-1795448412 failed with exit code 3; its last log line: failing now (whole log: nix-store -l ${path})`);
  });

  it('falls back to the last plain stderr line', () => {
    const reader = new NixLogReader();
    const err = nixFailure('Nix failed', { exitCode: 1, stdout: '', stderr: ['', 'something odd'] }, reader);
    expect(err.message).toBe('Nix failed: something odd');
  });
});
