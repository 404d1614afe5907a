import fc from 'fast-check';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareNames } from '../../src-main/engine/tarball/store-entries.js';
import { planCustomisation, type CustomisationPlan } from '../../src-main/engine/tarball/index.js';
import { addToStore, tempDir } from './helpers.js';

const dir = tempDir('custom-prop');
let made = 0;

/** A package tree: relative file paths and their contents (a path is never both a file and a folder). */
const tree = fc
  .uniqueArray(
    fc.tuple(fc.array(fc.constantFrom('bin', 'lib', 'share', 'doc', 'x'), { minLength: 0, maxLength: 2 }), fc.constantFrom('a', 'b', 'c', 'share')),
    { minLength: 1, maxLength: 8, selector: ([folders, file]) => [...folders, file].join('/') },
  )
  .map((files) => files.map(([folders, file]) => [...folders, file].join('/')))
  .map((paths) => paths.filter((p) => !paths.some((q) => q.startsWith(`${p}/`))))
  .filter((paths) => paths.length > 0);

function storePath(files: readonly string[], content: string): string {
  const root = join(dir, `src-${made++}`, `lamina-prop-${made}`);
  for (const file of files) {
    mkdirSync(join(root, file, '..'), { recursive: true });
    writeFileSync(join(root, file), `${content}:${file}`);
  }
  return addToStore(root);
}

/** What the image shows at `path`, reading through the plan's links into the real store. */
function resolve(plan: CustomisationPlan, path: string): string | undefined {
  const parts = path.split('/');
  for (let i = 1; i <= parts.length; i++) {
    const entry = plan.entries.find((e) => e.name === parts.slice(0, i).join('/'));
    if (!entry) return undefined;
    if (entry.kind === 'symlink') {
      const target = [entry.target, ...parts.slice(i)].join('/');
      return existsSync(target) && statSync(target).isFile() ? readFileSync(target, 'utf8') : undefined;
    }
  }
  return undefined;
}

describe('customisation layer, for any packages', () => {
  it('shows every file of the first root, loses nothing without reporting it, and orders its entries for tar', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(tree, { minLength: 1, maxLength: 3 }), async (trees) => {
        const roots = trees.map((files, i) => storePath(files, `root${i}`));
        const plan = await planCustomisation(roots);
        const names = plan.entries.map((e) => e.name);
        expect(new Set(names).size).toBe(names.length);
        // Tar order: a directory before its contents, siblings in byte order.
        for (const [i, name] of names.entries()) {
          const parent = name.includes('/') ? name.slice(0, name.lastIndexOf('/')) : undefined;
          if (parent !== undefined) expect(names.indexOf(parent)).toBeLessThan(i);
          if (i > 0 && !name.startsWith(`${names[i - 1]}/`)) {
            const previous = names[i - 1]!.split('/');
            const here = name.split('/');
            const common = here.findIndex((part, k) => part !== previous[k]);
            expect(compareNames(previous[common]!, here[common]!)).toBeLessThan(0);
          }
        }
        for (const entry of plan.entries) if (entry.kind === 'symlink') expect(existsSync(entry.target)).toBe(true);
        for (const file of trees[0]!) expect(resolve(plan, file)).toBe(`root0:${file}`);
        for (const [r, files] of trees.entries()) {
          for (const file of files) {
            const shown = resolve(plan, file);
            if (shown === `root${r}:${file}`) continue;
            const reported = plan.conflicts.some((c) => (file === c.path.slice(1) || file.startsWith(`${c.path.slice(1)}/`)) && c.ignored.includes(roots[r]!));
            expect(reported, `${roots[r]}/${file} is hidden (image shows ${shown}) without a conflict`).toBe(true);
          }
        }
      }),
      { numRuns: 25 },
    );
  });
});
