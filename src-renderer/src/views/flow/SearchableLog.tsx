import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { useJobLog } from './use-job-log';

const ROW_HEIGHT = 20;

/**
 * A job's log, virtualised and searchable: typing narrows it to the lines that
 * contain the text (case-insensitive); without a search it follows the end while
 * the person is at the bottom.
 */
export function SearchableLog({ jobId, label }: { jobId: number; label: string }) {
  const id = useId();
  const { lines, count, error } = useJobLog(jobId);
  const [query, setQuery] = useState('');
  const scroller = useRef<HTMLDivElement>(null);
  const following = useRef(true);

  const needle = query.trim().toLowerCase();
  // `count` stands for the lines' contents: the array is appended to in place.
  const shown = useMemo(
    () => (needle === '' ? null : lines.slice(0, count).filter((line) => line.text.toLowerCase().includes(needle))),
    [lines, count, needle],
  );
  const total = shown ? shown.length : count;

  const virtualizer = useVirtualizer({ count: total, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 20 });
  useEffect(() => {
    if (following.current && shown === null && total > 0) virtualizer.scrollToIndex(total - 1, { align: 'end' });
  }, [total, shown, virtualizer]);

  return (
    <section className="searchable-log" aria-labelledby={`${id}-title`}>
      <div className="log-toolbar">
        <h2 id={`${id}-title`}>{label}</h2>
        <label htmlFor={`${id}-search`} className="inline-label">
          Search the log
          <input id={`${id}-search`} type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="text in a line" />
        </label>
        <span className="muted" aria-live="polite">
          {shown ? `${shown.length.toLocaleString()} of ${count.toLocaleString()} lines` : `${count.toLocaleString()} lines`}
        </span>
      </div>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      <div
        ref={scroller}
        className="log"
        role="log"
        aria-label={label}
        tabIndex={0}
        onScroll={(event) => {
          const el = event.currentTarget;
          following.current = el.scrollHeight - el.scrollTop - el.clientHeight < ROW_HEIGHT * 2;
        }}
      >
        {total === 0 ? <p className="log-empty">{shown ? 'No line matches.' : 'No output yet.'}</p> : null}
        <div className="log-rows" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((row) => {
            const line = shown ? shown[row.index] : lines[row.index];
            if (!line) return null;
            return (
              <div key={row.key} className={`log-line log-${line.stream}`} style={{ transform: `translateY(${row.start}px)` }}>
                <span className="log-seq" aria-hidden="true">
                  {line.seq}
                </span>
                <span className="log-text">{line.text}</span>
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}
