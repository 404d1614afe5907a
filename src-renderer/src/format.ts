/** Small formatters shared by views. */

export function formatTime(ms: number | null): string {
  return ms === null ? '—' : new Date(ms).toLocaleString();
}

export function formatDuration(from: number | null, to: number): string {
  if (from === null) return '—';
  const seconds = Math.max(0, Math.round((to - from) / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${seconds % 60} s`;
}

export { formatBytes } from '../../src-shared/format-bytes';
