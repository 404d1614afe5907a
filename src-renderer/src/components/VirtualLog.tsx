import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import type { LogLine } from '../../../src-shared/jobs';

const ROW_HEIGHT = 20;

interface VirtualLogProps {
  /** The lines to show; only the first `count` are read (arrays may grow in place). */
  readonly lines: readonly LogLine[];
  readonly count: number;
  readonly label: string;
  readonly emptyText: string;
  /** Keep the end in view while the person is at the bottom. */
  readonly follow: boolean;
}

/**
 * Log lines, virtualised: only the rows in view exist in the DOM, so a log of
 * hundreds of thousands of lines scrolls like a short one.
 */
export function VirtualLog({ lines, count, label, emptyText, follow }: VirtualLogProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const lastTop = useRef(0);
  const virtualizer = useVirtualizer({ count, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 20 });

  useEffect(() => {
    if (follow && atBottom.current && count > 0) virtualizer.scrollToIndex(count - 1, { align: 'end' });
  }, [count, follow, virtualizer]);

  return (
    <div
      ref={scroller}
      className="log"
      role="log"
      aria-label={label}
      tabIndex={0}
      onScroll={(event) => {
        // Only the person stops the follow, by scrolling up. A scroll event that
        // lands after lines arrived (the end moved on meanwhile) is not that: a
        // growing log never lowers scrollTop.
        const el = event.currentTarget;
        if (el.scrollHeight - el.scrollTop - el.clientHeight < ROW_HEIGHT * 2) atBottom.current = true;
        else if (el.scrollTop < lastTop.current) atBottom.current = false;
        lastTop.current = el.scrollTop;
      }}
    >
      {count === 0 ? <p className="log-empty">{emptyText}</p> : null}
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
