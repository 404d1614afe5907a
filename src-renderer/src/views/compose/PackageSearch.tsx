import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useId, useRef, useState } from 'react';
import type { PackageHit } from '../../../../src-shared/packages';
import { api } from '../../api/api';
import { useRecipe } from '../../store/recipe';
import { ErrorNote } from '../../components/ErrorNote';

const ROW_HEIGHT = 44;

/**
 * Search over the loaded index, answered by FTS5 on every keystroke; the hits
 * are a virtualised list (a package set can have tens of thousands). Arrow keys
 * move through the hits, Enter adds the one in focus.
 */
export function PackageSearch() {
  const id = useId();
  const source = useRecipe((s) => s.recipe.source);
  const indexed = useRecipe((s) => s.indexed);
  const picked = useRecipe((s) => s.recipe.attrs);
  const addPackage = useRecipe((s) => s.addPackage);
  const [query, setQuery] = useState('');
  // The hits with the source they came from: after a source change, the old source's hits are not shown as this one's.
  const [answer, setAnswer] = useState<{ source: string; hits: readonly PackageHit[]; error: string | null }>({ source: '', hits: [], error: null });
  const [active, setActive] = useState(0);
  const scroller = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!indexed) return;
    let current = true;
    api.request('packages:search', { source, query, limit: 1000 }).then(
      (result) => {
        if (!current) return;
        setAnswer({ source, hits: result, error: null });
        setActive(0);
      },
      (err: unknown) => current && setAnswer((old) => ({ source, hits: old.source === source ? old.hits : [], error: (err as Error).message })),
    );
    return () => {
      current = false;
    };
  }, [source, query, indexed]);

  const current = indexed !== null && answer.source === source;
  const hits = current ? answer.hits : [];
  const error = current ? answer.error : null;

  const virtualizer = useVirtualizer({ count: hits.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 8 });

  const move = (to: number): void => {
    const next = Math.max(0, Math.min(hits.length - 1, to));
    setActive(next);
    virtualizer.scrollToIndex(next);
  };

  return (
    <section className="package-search" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Packages</h2>
      <label htmlFor={`${id}-query`}>
        Search packages
        <input
          id={`${id}-query`}
          type="search"
          value={query}
          disabled={!indexed}
          placeholder={indexed ? 'name or description, e.g. bash' : 'load a package source first'}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') move(active + 1);
            else if (e.key === 'ArrowUp') move(active - 1);
            else if (e.key === 'Enter' && hits[active]) addPackage(hits[active].attrPath);
            else return;
            e.preventDefault();
          }}
          aria-controls={`${id}-hits`}
          aria-activedescendant={hits[active] ? `${id}-hit-${active}` : undefined}
          autoComplete="off"
          spellCheck={false}
        />
      </label>
      <ErrorNote message={error} />
      <div ref={scroller} className="hits" id={`${id}-hits`} role="listbox" aria-label="Matching packages">
        {indexed === null && source.trim() !== '' ? <p className="muted hits-empty">Search opens once the packages of this source are loaded.</p> : null}
        {current && !error && hits.length === 0 ? <p className="muted hits-empty">No package matches “{query}”.</p> : null}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((row) => {
            const hit = hits[row.index]!;
            const added = picked.includes(hit.attrPath);
            return (
              <div
                key={hit.attrPath}
                id={`${id}-hit-${row.index}`}
                role="option"
                aria-selected={row.index === active}
                className={`hit${row.index === active ? ' is-active' : ''}`}
                style={{ transform: `translateY(${row.start}px)`, height: ROW_HEIGHT }}
                onMouseEnter={() => setActive(row.index)}
              >
                <div className="hit-text">
                  <span className="hit-name">
                    <code>{hit.attrPath}</code> <span className="muted">{hit.version}</span>
                  </span>
                  <span className="hit-description muted">{hit.description || 'no description'}</span>
                </div>
                <button type="button" tabIndex={-1} disabled={added} onClick={() => addPackage(hit.attrPath)} aria-label={`Add ${hit.attrPath}`}>
                  {added ? 'Added' : 'Add'}
                </button>
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}
