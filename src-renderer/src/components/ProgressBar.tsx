import type { JobProgress } from '../../../src-shared/jobs';
import { formatBytes } from '../format';

export function ProgressBar({ progress, label }: { progress: JobProgress; label: string }) {
  const { done, total, unit } = progress;
  return (
    <div className="progress">
      <progress aria-label={label} value={done} max={total > 0 ? total : 1} />
      <span className="progress-text">
        {unit === 'bytes' ? `${formatBytes(done)} of ${formatBytes(total)}` : `${done} of ${total} ${unit}`}
      </span>
    </div>
  );
}
