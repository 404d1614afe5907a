#!/usr/bin/env node
/**
 * `npm run bench [name...]`: runs the benchmarks in bench/ (all, or the named
 * ones: `npm run bench -- layers push`), one after another so they do not
 * compete for the two cores. Each prints its own ratios against its reference.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = import.meta.dirname;
const all = readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)).sort();
const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !all.includes(name));
if (unknown.length > 0) {
  console.error(`bench: no benchmark named ${unknown.join(', ')}; there are ${all.join(', ')}`);
  process.exit(2);
}
const tsx = join(dir, '..', 'node_modules', '.bin', 'tsx');
for (const name of wanted.length > 0 ? wanted : all) {
  console.log(`\n== bench/${name}.ts`);
  execFileSync(tsx, [join(dir, `${name}.ts`)], { stdio: 'inherit' });
}
