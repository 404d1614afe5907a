/**
 * Which package source a tag pulls from: `latest` is the default source (the
 * `--source` given to `lamina serve --registry`, else the one set in Settings);
 * any other tag names a saved recipe, whose source it uses.
 */
import { isValidTag } from '../../../src-shared/reference.js';
import type { Db } from '../db/database.js';
import { parseSource } from '../nix/source.js';
import { RecipeBook } from '../recipes/recipe-book.js';
import { readSetting, writeSetting } from '../settings/setting-rows.js';
import { DistributionError } from './errors.js';

export const DEFAULT_TAG = 'latest';
const SOURCE_KEY = 'pull-registry.source';

/** The default source set in Settings, or null. */
export function pullSourceSetting(db: Db): string | null {
  return readSetting(db, SOURCE_KEY);
}

/** Sets (or with null, clears) the default source; it must parse as a source (a local path must exist), and is kept canonical. */
export function setPullSourceSetting(db: Db, source: string | null): void {
  writeSetting(db, SOURCE_KEY, source === null || source.trim() === '' ? null : canonicalSource(source));
}

/**
 * A source as one canonical string (a relative path made absolute), so one
 * source is one cache entry whichever folder it was named from; throws a
 * LaminaError for a source that cannot be one.
 */
export function canonicalSource(spec: string): string {
  const source = parseSource(spec);
  return source.kind === 'path' ? source.path : source.kind === 'channel' ? `<${source.name}>` : source.ref;
}

export class TagSources {
  private readonly recipes: RecipeBook;
  private readonly fixedDefault: string | undefined;

  /** `fixedDefault` (the CLI's --source) wins over Settings' default source. */
  constructor(
    private readonly db: Db,
    fixedDefault?: string,
  ) {
    this.recipes = new RecipeBook(db);
    this.fixedDefault = fixedDefault === undefined ? undefined : canonicalSource(fixedDefault);
  }

  sourceFor(tag: string): string {
    if (tag === DEFAULT_TAG) {
      const source = this.fixedDefault ?? pullSourceSetting(this.db);
      if (!source) {
        throw new DistributionError('MANIFEST_UNKNOWN', 'tag "latest" has no package source: start the registry with --source SRC, or set the default source in Settings', { tag });
      }
      return canonicalSource(source);
    }
    const recipe = this.recipes.list().find((r) => r.name === tag);
    const body = recipe && (this.recipes.get(recipe.id).body as { source?: unknown } | null);
    if (!body || typeof body.source !== 'string' || body.source.trim() === '') {
      throw new DistributionError('MANIFEST_UNKNOWN', `tag "${tag}" names no saved recipe with a package source; use "latest" or the name of a saved recipe`, { tag });
    }
    return canonicalSource(body.source);
  }

  /** `latest` and every saved recipe whose name is a valid tag. */
  tags(): string[] {
    const names = this.recipes.list().map((r) => r.name).filter((name) => name !== DEFAULT_TAG && isValidTag(name));
    return [DEFAULT_TAG, ...names.sort()];
  }
}
