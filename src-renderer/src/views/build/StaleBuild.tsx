/**
 * The Build view shows the last build started from it; once Compose or Plan
 * changed the recipe, that build is of another recipe, and the view says so
 * rather than showing the old result under the new recipe's name.
 */
export function StaleBuildNote({ title, onBuild, busy }: { title: string; onBuild: () => void; busy: boolean }) {
  return (
    <div className="plan-stale-note build-stale" role="note" data-testid="build-stale">
      <p>
        Below is the last build, <strong>{title.replace(/^image /, '')}</strong>, made from an earlier version of the recipe: the recipe has changed since.
      </p>
      <button type="button" className="primary" onClick={onBuild} disabled={busy}>
        Build the recipe as it is now
      </button>
    </div>
  );
}
