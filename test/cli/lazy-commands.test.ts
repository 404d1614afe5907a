/**
 * `lamina --help`, `lamina help push` and `lamina push --help` load only the
 * program and the command's definition, never the engine (bench/startup.ts times
 * them): an engine module a definition imports statically would be loaded, and
 * paid for, before any flag is read. Actions and engine-backed flag checks are
 * imported with `await import(...)` when they run, which this walk does not follow,
 * nor type-only imports, which compile away.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'src-main/cli');

function sourceOf(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
}

/** A relative specifier as the .ts file it names (sources import `./x.js`). */
function resolveSpecifier(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  return resolve(dirname(from), specifier).replace(/\.js$/, '.ts');
}

/** The specifiers `file` loads at once: its value imports and re-exports, not `import type` nor `await import()`. */
function staticSpecifiers(file: string): string[] {
  const out: string[] = [];
  for (const statement of sourceOf(file).statements) {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      const bindings = clause?.namedBindings;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly || (clause.name === undefined && bindings !== undefined && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly)));
      if (!typeOnly) out.push((statement.moduleSpecifier as ts.StringLiteral).text);
    } else if (ts.isExportDeclaration(statement) && statement.moduleSpecifier && !statement.isTypeOnly) {
      out.push((statement.moduleSpecifier as ts.StringLiteral).text);
    }
  }
  return out;
}

/** The source files `file` loads at once. */
function staticImports(file: string): string[] {
  return staticSpecifiers(file).flatMap((specifier) => resolveSpecifier(file, specifier) ?? []);
}

/** Every source file loaded with `file`, itself included. */
function closure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const next of staticImports(file)) closure(next, seen);
  return seen;
}

/** The modules program.ts loads with `await import(...)`: one definition per command. */
function commandDefinitions(): string[] {
  const program = join(CLI, 'program.ts');
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && ts.isStringLiteral(node.arguments[0]!)) {
      found.push(resolveSpecifier(program, node.arguments[0].text)!);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceOf(program));
  return found;
}

const engineParts = (files: Set<string>): string[] =>
  [...files].map((f) => relative(ROOT, f)).filter((f) => /^src-main\/(engine|ipc|app)\//.test(f));

describe('command definitions', () => {
  it('finds every command program.ts lists', () => {
    expect(commandDefinitions().map((f) => relative(CLI, f)).sort()).toEqual(
      ['build', 'cache', 'completion', 'export', 'images', 'inspect', 'plan', 'push', 'rmi', 'serve'].map((c) => `commands/${c}.ts`),
    );
  });

  it('import no engine module before their command runs, nor does the program', () => {
    const loaded = Object.fromEntries([join(CLI, 'main.ts'), ...commandDefinitions()].map((file) => [relative(ROOT, file), engineParts(closure(file))]));
    expect(loaded).toEqual(Object.fromEntries(Object.keys(loaded).map((file) => [file, []])));
  });
});

describe('lamina build', () => {
  it('loads the image schemas (and zod) only to read an image back, as an export does', () => {
    // A rebuild that finds every layer cached is mostly Node loading code: what it never runs, it should not load.
    const loaded = [...closure(join(CLI, 'commands/build-run.ts'))].map((f) => relative(ROOT, f));
    expect(loaded).toContain('src-main/engine/builder/pipeline.ts');
    expect(loaded).not.toContain('src-main/engine/image/validate.ts');
  });

  it('starts Nix having loaded no crypto (about 7 ms of Node startup, paid before nix-build could start), for build and plan alike', () => {
    // early-nix.ts's own `await import(...)`s before Nix starts, with the program and the command definitions that run before them.
    const early = ['engine/nix/source.ts', 'engine/nix/build.ts', 'engine/store/layout.ts', 'engine/home.ts'].map((f) => join(ROOT, 'src-main', f));
    expect(readFileSync(join(CLI, 'early-nix.ts'), 'utf8')).toMatch(/import\('\.\.\/engine\/store\/layout\.js'\)/);
    const loaded = new Set<string>();
    for (const file of [join(CLI, 'main.ts'), join(CLI, 'commands/build.ts'), join(CLI, 'commands/plan.ts'), ...early]) closure(file, loaded);
    expect(loaded).toContain(join(CLI, 'early-nix.ts'));
    const crypto = [...loaded].filter((f) => staticSpecifiers(f).some((s) => s === 'node:crypto' || s === 'crypto')).map((f) => relative(ROOT, f));
    expect(crypto).toEqual([]);
  });

  it('loads the layer writer (tar, compression workers) only to write a layer', () => {
    const loaded = [...closure(join(CLI, 'commands/build-run.ts'))].map((f) => relative(ROOT, f));
    expect(loaded).toContain('src-main/engine/tarball/customisation.ts');
    expect(loaded.filter((f) => /tarball\/(write-layer|tar-header|tar-bytes|compression-workers)\.ts$/.test(f))).toEqual([]);
  });
});
