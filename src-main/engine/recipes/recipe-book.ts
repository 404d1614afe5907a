/**
 * Saved recipes: what the Compose view edits (source, packages, image config,
 * strategy), kept by name so a person can reopen and rebuild it. The body is
 * stored as JSON exactly as given; the build checks it when it runs.
 */
import type { Db } from '../db/database.js';
import { LaminaError } from '../../../src-shared/errors.js';
import type { RecipeListing, SavedRecipe } from '../../../src-shared/recipes.js';

interface RecipeRow {
  id: number;
  name: string;
  body: string;
  updatedAt: number;
}

export class RecipeBook {
  constructor(private readonly db: Db) {}

  list(): RecipeListing[] {
    return this.db.prepare('SELECT id, name, updated_at AS updatedAt FROM recipes ORDER BY updated_at DESC, id DESC').all() as RecipeListing[];
  }

  get(id: number): SavedRecipe {
    const row = this.db.prepare('SELECT id, name, body, updated_at AS updatedAt FROM recipes WHERE id = ?').get(id) as RecipeRow | undefined;
    if (!row) throw new LaminaError(`there is no saved recipe ${id}; it may have been deleted, pick one from the list`, 'recipe-missing');
    return { id: row.id, name: row.name, body: JSON.parse(row.body) as unknown, updatedAt: row.updatedAt };
  }

  /** Saves under `name`, replacing a recipe of that name: saving again is how a person updates one. */
  save(name: string, body: unknown): SavedRecipe {
    const trimmed = name.trim();
    if (trimmed === '') throw new LaminaError('give the recipe a name to save it under', 'recipe-name');
    const updatedAt = Date.now();
    const row = this.db
      .prepare(
        `INSERT INTO recipes (name, body, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at
         RETURNING id`,
      )
      .get(trimmed, JSON.stringify(body), updatedAt) as { id: number };
    return { id: row.id, name: trimmed, body, updatedAt };
  }

  remove(id: number): void {
    this.db.prepare('DELETE FROM recipes WHERE id = ?').run(id);
  }
}
