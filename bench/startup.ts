/**
 * Start-up time of commands that touch no engine part: whole `lamina` processes
 * (`--help`, `--version`, and a command's help: `help push`, `push --help`,
 * `help build`, `help inspect`) against `node -e 0` (the floor any Node CLI pays),
 * taking turns for ROUNDS rounds (STARTUP_BENCH_ROUNDS, default 9); medians, the
 * ratio, CPU (which load inflates less than wall time) and peak RSS from
 * /usr/bin/time. Target: `lamina --help` <= 150 ms. Needs `npm run build` first
 * (it runs what ships: bin/lamina.mjs).
 *
 *   npx tsx bench/startup.ts
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LAMINA, load, median, timed, type Run } from './lib/whole-process.js';

const ROUNDS = Number(process.env.STARTUP_BENCH_ROUNDS ?? 9);
const bin = LAMINA;
if (!existsSync(join(import.meta.dirname, '..', 'out', 'main', 'cli.js'))) throw new Error('the CLI is not built: run `npm run build` first');

/** One whole process under GNU time; a command that fails stops the bench instead of being timed. */
const run = (args: readonly string[]): Run => timed(process.execPath, args);

const cases: Record<string, string[]> = {
  'lamina --help': [bin, '--help'],
  'lamina --version': [bin, '--version'],
  'lamina help push': [bin, 'help', 'push'],
  'lamina push --help': [bin, 'push', '--help'],
  'lamina help build': [bin, 'help', 'build'],
  'lamina help inspect': [bin, 'help', 'inspect'],
  'node -e 0': ['-e', '0'],
};
const runs: Record<string, Run[]> = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
for (let round = 0; round < ROUNDS; round++) for (const [name, args] of Object.entries(cases)) runs[name]!.push(run(args));

const floor = median(runs['node -e 0']!.map((r) => r.wall));
console.log(load());
for (const [name, list] of Object.entries(runs)) {
  const wall = median(list.map((r) => r.wall));
  const cpu = median(list.map((r) => r.cpu));
  const rss = median(list.map((r) => r.rssMb));
  console.log(
    `${name.padEnd(20)} median ${(wall * 1000).toFixed(0).padStart(5)} ms  ${(wall / floor).toFixed(2)}x node -e 0  CPU ${(cpu * 1000).toFixed(0).padStart(4)} ms  peak RSS ${rss.toFixed(0)} MB  (${ROUNDS} runs)`,
  );
}
const help = median(runs['lamina --help']!.map((r) => r.wall));
console.log(`lamina --help: ${(help * 1000).toFixed(0)} ms (target <= 150 ms), ${((help - floor) * 1000).toFixed(0)} ms above node -e 0`);
