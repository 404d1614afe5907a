import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src-main/engine/db/database.js';
import { RecipeBook } from '../../src-main/engine/recipes/recipe-book.js';

describe('saved recipes', () => {
  it('saves, lists newest first, reopens after the database is reopened, replaces by name and deletes', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'lamina-recipes-')), 'lamina.db');
    const book = new RecipeBook(openDatabase(file));
    const web = book.save('  web  ', { source: '/src', attrs: ['bash'], config: { cmd: ['bash'] } });
    expect(web.name).toBe('web');
    const tools = book.save('tools', { source: '/src', attrs: ['gzip', 'sed'] });
    expect(book.list().map((r) => r.name)).toEqual(['tools', 'web']);

    const reopened = new RecipeBook(openDatabase(file));
    expect(reopened.get(web.id).body).toEqual({ source: '/src', attrs: ['bash'], config: { cmd: ['bash'] } });
    const updated = reopened.save('web', { source: '/src', attrs: ['bash', 'grep'] });
    expect(updated.id).toBe(web.id);
    expect(reopened.get(web.id).body).toEqual({ source: '/src', attrs: ['bash', 'grep'] });
    expect(reopened.list().map((r) => r.name)).toEqual(['web', 'tools']);

    reopened.remove(tools.id);
    expect(() => reopened.get(tools.id)).toThrow(`there is no saved recipe ${tools.id}; it may have been deleted, pick one from the list`);
    expect(() => reopened.save(' ', {})).toThrow('give the recipe a name to save it under');
  });
});
