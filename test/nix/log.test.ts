import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NixLogReader, type NixLogLine } from '../../src-main/engine/nix/log.js';

const drv = (name: string): string => `/nix/store/${'d'.repeat(32)}-${name}.drv`;
const start = (id: number, path: string, host = ''): string =>
  `@nix ${JSON.stringify({
    action: 'start',
    id,
    level: 3,
    type: 105,
    fields: [path, host, 1, 1],
    text: host ? `building '${path}' on '${host}'` : `building '${path}'`,
  })}`;
const logLine = (id: number, text: string): string => `@nix ${JSON.stringify({ action: 'result', id, type: 101, fields: [text] })}`;
const stop = (id: number): string => `@nix ${JSON.stringify({ action: 'stop', id })}`;

function read(lines: string[]): { reader: NixLogReader; out: NixLogLine[] } {
  const out: NixLogLine[] = [];
  const reader = new NixLogReader((line) => out.push(line));
  for (const line of lines) reader.read(line);
  return { reader, out };
}

describe('Nix log reader', () => {
  it('attributes builder output to its derivation (lines as Nix 2.8 prints them)', () => {
    const path = '/nix/store/zrr8v6hp4nblankc93qbqz4m00wl0za4-exp-a-1795448408.drv';
    const { out, reader } = read([
      '@nix {"action":"start","id":62204011347968,"level":6,"text":"querying info about missing paths","type":0}',
      '@nix {"action":"msg","level":3,"msg":"this derivation will be built:"}',
      `@nix {"action":"start","fields":["${path}","",1,1],"id":62204011347974,"level":3,"text":"building '${path}'","type":105}`,
      '@nix {"action":"result","fields":[0,1,1,0],"id":62204011347971,"type":105}',
      '@nix {"action":"result","fields":["hello from a"],"id":62204011347974,"type":101}',
      '@nix {"action":"result","fields":["\\u001b[1mline2\\u001b[0m"],"id":62204011347974,"type":101}',
      '@nix {"action":"stop","id":62204011347974}',
    ]);
    expect(out).toEqual([
      { text: 'this derivation will be built:' },
      { text: `building '${path}'`, drv: path },
      { text: 'hello from a', drv: path },
      { text: 'line2', drv: path },
    ]);
    expect(reader.lastLogLine(path)).toBe('line2');
  });

  it('names the remote machine Nix built on', () => {
    const { out } = read([start(7, drv('big'), 'ssh://builder1'), logLine(7, 'compiling')]);
    expect(out).toEqual([
      { text: `building '${drv('big')}' on 'ssh://builder1'`, drv: drv('big'), host: 'ssh://builder1' },
      { text: 'compiling', drv: drv('big'), host: 'ssh://builder1' },
    ]);
  });

  it('keeps error messages without colours, and plain lines as they are', () => {
    const { reader, out } = read([
      '@nix {"action":"msg","level":0,"msg":"\\u001b[31;1merror:\\u001b[0m custom failure here","raw_msg":"custom failure here"}',
      "error: unrecognised flag '--frob'",
      "Try 'nix-build --help' for more information.",
    ]);
    expect(reader.errors).toEqual(['error: custom failure here', "error: unrecognised flag '--frob'"]);
    expect(out.map((l) => l.text)).toEqual(['error: custom failure here', "error: unrecognised flag '--frob'", "Try 'nix-build --help' for more information."]);
  });

  it('attributes every line of interleaved parallel builds to the right derivation', () => {
    const builds = fc.array(fc.array(fc.string({ minLength: 1, maxLength: 6 }).filter((s) => s.trim() !== ''), { maxLength: 5 }), {
      minLength: 1,
      maxLength: 5,
    });
    fc.assert(
      fc.property(builds, fc.infiniteStream(fc.nat()), (lines, picks) => {
        // Each build's own events stay in order; builds interleave as the picks say.
        const queues = lines.map((ls, i) => [start(i + 1, drv(`p${i}`)), ...ls.map((l) => logLine(i + 1, l)), stop(i + 1)]);
        const merged: string[] = [];
        const it = picks[Symbol.iterator]();
        for (let open = queues.filter((q) => q.length > 0); open.length > 0; open = queues.filter((q) => q.length > 0)) {
          merged.push(open[it.next().value % open.length]!.shift()!);
        }
        const { out } = read(merged);
        lines.forEach((ls, i) => {
          const own = out.filter((l) => l.drv === drv(`p${i}`)).slice(1);
          expect(own.map((l) => l.text)).toEqual(ls);
        });
      }),
    );
  });
});
