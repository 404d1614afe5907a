import { useEffect, useId } from 'react';
import { useSettings } from '../../store/settings';

/**
 * Which registry's team cache (set up in Settings) a build reads and writes: the
 * registry the image will be pushed to. Hidden while no registry names one.
 */
export function TeamCachePicker({ value, onChange }: { readonly value: string; readonly onChange: (host: string) => void }) {
  const id = useId();
  const registries = useSettings((s) => s.registries);
  useEffect(() => {
    if (registries === null) void useSettings.getState().load();
  }, [registries]);
  const withCache = (registries ?? []).filter((r) => r.teamCache !== null);
  if (withCache.length === 0) return null;
  return (
    <label htmlFor={`${id}-team-cache`} className="team-cache-picker">
      Team cache
      <select id={`${id}-team-cache`} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">None (this machine's cache only)</option>
        {withCache.map((r) => (
          <option key={r.host} value={r.host}>
            for {r.host}: {r.teamCache}
          </option>
        ))}
      </select>
    </label>
  );
}
