import { useVirtualizer } from '@tanstack/react-virtual';
import { useId, useRef, useState, type FormEvent } from 'react';
import type { GcBlob } from '../../../../src-shared/gc';
import { formatBytes, formatTime } from '../../format';
import { useCache } from '../../store/cache';
import { ErrorNote } from '../../components/ErrorNote';
import { plural } from '../../../../src-shared/layer-name';
import { gcKeptNote, gcSummary } from './gc-words';

const ROW_HEIGHT = 28;

/** Budget in MiB as typed; empty means "only what no image uses". */
function parseBudget(text: string): number | undefined | 'bad' {
  if (text.trim() === '') return undefined;
  const mib = Number(text);
  return Number.isFinite(mib) && mib >= 0 ? Math.floor(mib * 1024 * 1024) : 'bad';
}

/** Garbage collection: first a dry run said in words, then the real thing after a confirmation. */
export function GcPanel() {
  const id = useId();
  const preview = useCache((s) => s.preview);
  const previewBudget = useCache((s) => s.previewBudget);
  const lastGc = useCache((s) => s.lastGc);
  const error = useCache((s) => s.gcError);
  const busy = useCache((s) => s.busy);
  const [budget, setBudget] = useState('');
  const [budgetError, setBudgetError] = useState<string | null>(null);
  const [removeNewest, setRemoveNewest] = useState(false);
  const [confirming, setConfirming] = useState(false);

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const maxSize = parseBudget(budget);
    if (maxSize === 'bad') {
      setBudgetError('give the size to keep in MiB (a number, 0 or more), or leave it empty to remove only what no image uses');
      return;
    }
    setBudgetError(null);
    setConfirming(false);
    void useCache.getState().previewGc(maxSize, !removeNewest);
  };
  // A changed form no longer matches the dry run shown: it goes, so Remove cannot run an older plan.
  const changed = (): void => {
    setConfirming(false);
    useCache.getState().clearPreview();
  };
  const kept = preview ? gcKeptNote(preview, previewBudget) : null;
  const what = preview
    ? `${plural(preview.blobs.length, 'blob')}${preview.images.length > 0 ? ` and ${plural(preview.images.length, 'image')}` : ''}`
    : '';

  return (
    <section className="card cache-section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Garbage collection</h2>
      <form className="cache-gc-form" onSubmit={submit}>
        <label htmlFor={`${id}-budget`}>
          Keep at most (MiB)
          <input
            id={`${id}-budget`}
            inputMode="decimal"
            value={budget}
            onChange={(e) => {
              setBudget(e.target.value);
              changed();
            }}
            placeholder="empty: remove only what no image uses"
            autoComplete="off"
          />
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={removeNewest}
            onChange={(e) => {
              setRemoveNewest(e.target.checked);
              changed();
            }}
          />
          Also remove the newest image
        </label>
        <button type="submit" disabled={busy}>
          Preview
        </button>
      </form>
      <ErrorNote message={budgetError} />
      <ErrorNote message={error} />
      {preview ? (
        <div className="cache-preview" aria-label="What gc would remove">
          <p data-testid="gc-preview-summary">{gcSummary(preview)}</p>
          {kept ? (
            <p className="cache-warning" data-testid="gc-kept">
              {kept}
            </p>
          ) : null}
          {preview.blobs.length > 0 ? <BlobList blobs={preview.blobs} /> : null}
          {preview.blobs.length === 0 ? null : confirming ? (
            <div className="cache-confirm" role="group" aria-label="Confirm removal">
              <p>
                Delete {what} for good? Builds that need them again write them again{preview.images.length > 0 ? '; removed images must be built again' : ''}.
              </p>
              <button type="button" className="danger" disabled={busy} onClick={() => void useCache.getState().runGc().then(() => setConfirming(false))}>
                Yes, remove {what}
              </button>
              <button type="button" autoFocus onClick={() => setConfirming(false)}>
                Keep them
              </button>
            </div>
          ) : (
            <button type="button" className="danger" disabled={busy} onClick={() => setConfirming(true)}>
              Remove {what}…
            </button>
          )}
        </div>
      ) : null}
      {lastGc ? (
        <p className="cache-done" role="status">
          Removed {plural(lastGc.removedBlobs, 'blob')}
          {lastGc.removedImages.length > 0 ? ` and the images ${lastGc.removedImages.join(', ')}` : ''}, freeing {formatBytes(lastGc.freedBytes)}.
          {lastGc.removedIndexes > 0 ? ` Dropped ${lastGc.removedIndexes} saved file ${lastGc.removedIndexes === 1 ? 'index' : 'indexes'} of layers opened elsewhere and unused for a month.` : ''}
        </p>
      ) : null}
    </section>
  );
}

function BlobList({ blobs }: { readonly blobs: readonly GcBlob[] }) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: blobs.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 10 });
  return (
    <div className="cache-blobs" ref={scroller} role="table" aria-label="Blobs gc would remove" aria-rowcount={blobs.length} tabIndex={0}>
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }} role="rowgroup">
        {virtualizer.getVirtualItems().map((row) => {
          const blob = blobs[row.index]!;
          return (
            <div key={blob.digest} className="cache-blob" role="row" aria-rowindex={row.index + 1} style={{ transform: `translateY(${row.start}px)`, height: ROW_HEIGHT }}>
              <code role="cell" title={blob.digest}>
                {blob.digest.slice(0, 19)}
              </code>
              <span role="cell">{blob.kind}</span>
              <span role="cell" className="num">
                {formatBytes(blob.size)}
              </span>
              <span role="cell" className="muted">
                last used {formatTime(blob.lastUsedAt)}
              </span>
            </div>
          );
        })}
      </div>
    </div>
  );
}
