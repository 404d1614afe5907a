import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import { logLines, useLogRevision } from '../store/logs';

const ROW_HEIGHT = 20;

/**
 * A job's log, virtualised: only the rows in view exist in the DOM. New lines
 * reach it through a transient subscription, batched to one render per frame;
 * it follows the end while the user is at the bottom and stays put otherwise.
 * Mount it with `key={jobId}` so each job starts from its own state.
 */
export function LogView({ jobId }: { jobId: number }) {
  const scroller = useRef<HTMLDivElement>(null);
  const [count, setCount] = useState(() => logLines(jobId).length);
  const following = useRef(true);

  useEffect(() => {
    let frame = 0;
    const update = (): void => {
      frame = 0;
      setCount(logLines(jobId).length);
    };
    const unsubscribe = useLogRevision.subscribe(() => {
      if (frame === 0) frame = requestAnimationFrame(update);
    });
    return () => {
      unsubscribe();
      cancelAnimationFrame(frame);
    };
  }, [jobId]);

  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
  });

  useEffect(() => {
    if (following.current && count > 0) virtualizer.scrollToIndex(count - 1, { align: 'end' });
  }, [count, virtualizer]);

  const lines = logLines(jobId);
  return (
    <div
      ref={scroller}
      className="log"
      role="log"
      aria-label="Job log"
      tabIndex={0}
      onScroll={(event) => {
        const el = event.currentTarget;
        following.current = el.scrollHeight - el.scrollTop - el.clientHeight < ROW_HEIGHT * 2;
      }}
    >
      {count === 0 ? <p className="log-empty">No output yet.</p> : null}
      <div className="log-rows" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((row) => {
          const line = lines[row.index];
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
  );
}
