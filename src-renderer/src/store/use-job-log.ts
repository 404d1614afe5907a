import { useEffect, useState } from 'react';
import type { LogLine } from '../../../src-shared/jobs';
import { loadLog, logLines, useLogRevision } from './logs';

/**
 * A job's log lines and their count, re-rendering at most once per animation
 * frame however fast lines arrive (a transient subscription to the log store).
 * The array is the store's own: read it, never keep it past a render.
 */
export function useJobLog(jobId: number | null): { lines: readonly LogLine[]; count: number; error: string | null } {
  const [count, setCount] = useState(() => (jobId === null ? 0 : logLines(jobId).length));
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (jobId === null) return;
    loadLog(jobId).then(
      () => setError(null),
      (err: unknown) => setError((err as Error).message),
    );
    let frame = 0;
    const update = (): void => {
      frame = 0;
      setCount(logLines(jobId).length);
    };
    update();
    const unsubscribe = useLogRevision.subscribe(() => {
      if (frame === 0) frame = requestAnimationFrame(update);
    });
    return () => {
      unsubscribe();
      cancelAnimationFrame(frame);
    };
  }, [jobId]);

  return { lines: jobId === null ? [] : logLines(jobId), count, error };
}
