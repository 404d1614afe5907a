import { useId } from 'react';
import { formatBytes } from '../../format';
import { useRecipe } from '../../store/recipe';
import { ErrorNote } from '../../components/ErrorNote';

/** The packages in the image, each with what it costs, and the whole closure's size as it changes. */
export function PickedPackages() {
  const id = useId();
  const attrs = useRecipe((s) => s.recipe.attrs);
  const removePackage = useRecipe((s) => s.removePackage);
  const closure = useRecipe((s) => s.closure);
  const loading = useRecipe((s) => s.closureLoading);
  const error = useRecipe((s) => s.closureError);
  const hasSource = useRecipe((s) => s.recipe.source.trim() !== '');
  const indexed = useRecipe((s) => s.indexed !== null);
  const costOf = (attr: string) => closure?.roots.find((r) => r.attr === attr);
  // The closure is sized once the source is known to the engine: a source being typed is sized only when it is indexed.
  const closureText = (): string => {
    if (attrs.length === 0) return 'Add packages to see the closure size.';
    if (closure) return `Closure: ${closure.paths} store paths, ${formatBytes(closure.narSize)}`;
    if (loading) return 'Building and sizing the closure…';
    if (error || indexed) return '';
    return hasSource ? 'Load the packages of this source to size the closure.' : 'Give a package source to size the closure.';
  };

  return (
    <section className="card picked" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>In the image</h2>
      <p className="closure-total" role="status" aria-live="polite" data-testid="closure-size">
        {closureText()}
        {loading && closure ? <span className="muted"> (updating…)</span> : null}
      </p>
      <ErrorNote message={error} />
      {attrs.length > 0 ? (
        <ul className="picked-list">
          {attrs.map((attr) => {
            const cost = costOf(attr);
            return (
              <li key={attr}>
                <code className="grow">{attr}</code>
                <span className="muted" title="closure of this package / bytes only it pulls in">
                  {cost ? `${formatBytes(cost.closureSize)} · ${formatBytes(cost.uniqueSize)} own` : '…'}
                </span>
                <button type="button" onClick={() => removePackage(attr)} aria-label={`Remove ${attr}`}>
                  Remove
                </button>
              </li>
            );
          })}
        </ul>
      ) : null}
    </section>
  );
}
