import { useId, useState, type FormEvent } from 'react';
import { api } from '../api/api';
import { useJobs } from '../store/jobs';
import { useRecipe } from '../store/recipe';
import { ErrorNote } from './ErrorNote';

/** Attribute names as typed: separated by spaces or commas. */
function parseAttrs(text: string): string[] {
  return text.split(/[\s,]+/).filter(Boolean);
}

type Target = 'nix-build' | 'image-build';

/**
 * Starts a build as a job by hand: the Nix packages alone, or a container image
 * of them with the engine's defaults. It starts from the recipe being composed,
 * not from empty fields; the composed image itself is built in the Build view.
 */
export function BuildForm() {
  const id = useId();
  const [target, setTarget] = useState<Target>('nix-build');
  const [source, setSource] = useState(() => useRecipe.getState().recipe.source);
  const [attrs, setAttrs] = useState(() => useRecipe.getState().recipe.attrs.join(' '));
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const select = useJobs((s) => s.select);

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    setError(null);
    setStarting(true);
    const input = { source, attrs: parseAttrs(attrs) };
    const started = target === 'nix-build' ? api.request('jobs:start', { kind: 'nix-build', input }) : api.request('jobs:start', { kind: 'image-build', input });
    started
      .then(
        (job) => select(job.id),
        (err: unknown) => setError((err as Error).message),
      )
      .finally(() => setStarting(false));
  };

  return (
    <form className="card build-form" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Run a build by hand</h2>
      <p className="muted">The image you compose is built in Build; here a build runs with the defaults, from the source and packages below.</p>
      <div className="fields">
        <label htmlFor={`${id}-target`}>
          What to build
          <select id={`${id}-target`} value={target} onChange={(e) => setTarget(e.target.value as Target)}>
            <option value="nix-build">Nix packages</option>
            <option value="image-build">Container image</option>
          </select>
        </label>
        <label htmlFor={`${id}-source`}>
          Package source
          <input
            id={`${id}-source`}
            name="source"
            value={source}
            onChange={(e) => setSource(e.target.value)}
            placeholder="/path/to/folder with default.nix, or <nixpkgs>"
            spellCheck={false}
            autoComplete="off"
          />
        </label>
        <label htmlFor={`${id}-attrs`}>
          Attributes
          <input
            id={`${id}-attrs`}
            name="attrs"
            value={attrs}
            onChange={(e) => setAttrs(e.target.value)}
            placeholder="bash coreutils"
            spellCheck={false}
            autoComplete="off"
          />
        </label>
        <button type="submit" className="primary" disabled={starting}>
          {starting ? 'Starting…' : 'Start build'}
        </button>
      </div>
      <ErrorNote message={error} />
    </form>
  );
}
