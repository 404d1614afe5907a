/**
 * Start-up time of commands that touch no engine part: whole `lamina` processes
 * (`--help`, `--version`, `help push`) against `node -e 0` (the floor any Node
 * CLI pays), taking turns for ROUNDS rounds (STARTUP_BENCH_ROUNDS, default 9);
 * medians, the ratio, and peak RSS from /usr/bin/time. Target: `lamina --help`
 * <= 150 ms. Needs `npm run build` first (it runs what ships: bin/lamina.mjs).
 *
 *   npx tsx bench/startup.ts
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';

const ROUNDS = Number(process.env.STARTUP_BENCH_ROUNDS ?? 9);
const root = join(import.meta.dirname, '..');
const bin = join(root, 'bin', 'lamina.mjs');
if (!existsSync(join(root, 'out', 'main', 'cli.js'))) throw new Error('the CLI is not built: run `npm run build` first');

interface Run {
  readonly seconds: number;
  readonly rssKb: number;
}

/** One whole process under /usr/bin/time: its wall time and peak RSS (time reports on stderr, last line). */
function run(args: readonly string[]): Run {
  const result = spawnSync('/usr/bin/time', ['-f', '%e %M', process.execPath, ...args], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  const [seconds, rss] = result.stderr.trim().split('\n').at(-1)!.split(' ');
  return { seconds: Number(seconds), rssKb: Number(rss) };
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const cases: Record<string, string[]> = {
  'lamina --help': [bin, '--help'],
  'lamina --version': [bin, '--version'],
  'lamina help push': [bin, 'help', 'push'],
  'node -e 0': ['-e', '0'],
};
const runs: Record<string, Run[]> = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
for (let round = 0; round < ROUNDS; round++) for (const [name, args] of Object.entries(cases)) runs[name]!.push(run(args));

const floor = median(runs['node -e 0']!.map((r) => r.seconds));
console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (2 cores shared with other work: figures are noisy)`);
for (const [name, list] of Object.entries(runs)) {
  const wall = median(list.map((r) => r.seconds));
  const rss = median(list.map((r) => r.rssKb)) / 1024;
  console.log(`${name.padEnd(18)} median ${(wall * 1000).toFixed(0).padStart(5)} ms  ${(wall / floor).toFixed(2)}x node -e 0  peak RSS ${rss.toFixed(0)} MB  (${ROUNDS} runs)`);
}
const help = median(runs['lamina --help']!.map((r) => r.seconds));
console.log(`lamina --help: ${(help * 1000).toFixed(0)} ms (target <= 150 ms), ${((help - floor) * 1000).toFixed(0)} ms above node -e 0`);
