import { useEffect, useId, useState, type FormEvent } from 'react';
import { formatTime } from '../../format';
import { useRecipe } from '../../store/recipe';

/** Save the recipe under a name, reopen or delete saved ones. */
export function SavedRecipes() {
  const id = useId();
  const saved = useRecipe((s) => s.saved);
  const name = useRecipe((s) => s.savedName);
  const setName = useRecipe((s) => s.setSavedName);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);

  useEffect(() => {
    useRecipe
      .getState()
      .loadSaved()
      .catch((err: unknown) => setMessage({ text: (err as Error).message, error: true }));
  }, []);

  const run = (action: Promise<void>, done: string) =>
    action.then(
      () => setMessage({ text: done, error: false }),
      (err: unknown) => setMessage({ text: (err as Error).message, error: true }),
    );

  const save = (event: FormEvent) => {
    event.preventDefault();
    void run(useRecipe.getState().save(), `Saved as “${name.trim()}”`);
  };

  return (
    <section className="card saved-recipes" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Recipes</h2>
      <form className="source-row" onSubmit={save}>
        <label htmlFor={`${id}-name`} className="grow">
          Recipe name
          <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. shell-tools" autoComplete="off" />
        </label>
        <button type="submit">Save recipe</button>
      </form>
      {message ? (
        <p className={message.error ? 'error' : 'muted'} role={message.error ? 'alert' : 'status'}>
          {message.text}
        </p>
      ) : null}
      {saved.length === 0 ? (
        <p className="muted">No saved recipes yet.</p>
      ) : (
        <ul className="recipe-list" aria-label="Saved recipes">
          {saved.map((recipe) => (
            <li key={recipe.id}>
              <span className="grow">
                {recipe.name} <span className="muted">{formatTime(recipe.updatedAt)}</span>
              </span>
              <button type="button" onClick={() => void run(useRecipe.getState().open(recipe.id), `Opened “${recipe.name}”`)} aria-label={`Open ${recipe.name}`}>
                Open
              </button>
              <button type="button" onClick={() => void run(useRecipe.getState().remove(recipe.id), `Deleted “${recipe.name}”`)} aria-label={`Delete ${recipe.name}`}>
                Delete
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
