import { useId, useMemo, useState } from 'react';
import { VirtualLog } from '../../components/VirtualLog';
import { useJobLog } from '../../store/use-job-log';
import { ErrorNote } from '../../components/ErrorNote';

/**
 * A job's log, virtualised and searchable: typing narrows it to the lines that
 * contain the text (case-insensitive); without a search it follows the end while
 * the person is at the bottom.
 */
export function SearchableLog({ jobId, label }: { jobId: number; label: string }) {
  const id = useId();
  const { lines, count, error } = useJobLog(jobId);
  const [query, setQuery] = useState('');

  const needle = query.trim().toLowerCase();
  const shown = useMemo(
    () => (needle === '' ? null : lines.slice(0, count).filter((line) => line.text.toLowerCase().includes(needle))),
    [lines, count, needle],
  );

  return (
    <section className="card searchable-log" aria-labelledby={`${id}-title`}>
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
      <ErrorNote message={error} />
      <VirtualLog
        lines={shown ?? lines}
        count={shown ? shown.length : count}
        label={label}
        emptyText={shown ? 'No line matches.' : 'No output yet.'}
        follow={shown === null}
      />
    </section>
  );
}
