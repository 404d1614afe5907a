import { useState, type FormEvent } from 'react';
import type { RegistryEntry } from '../../../../src-shared/logins';
import { useSettings } from '../../store/settings';
import { ErrorNote } from '../../components/ErrorNote';

/** A registry's team cache reference: builds for this registry take layers from it and add theirs. */
export function TeamCacheCell({ entry }: { readonly entry: RegistryEntry }) {
  const setTeamCache = useSettings((s) => s.setTeamCache);
  const [text, setText] = useState(entry.teamCache ?? '');
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    setSaving(true);
    void setTeamCache(entry.host, text.trim() === '' ? null : text)
      .then(setError)
      .finally(() => setSaving(false));
  };

  return (
    <form className="team-cache-cell" onSubmit={submit}>
      <input
        aria-label={`Team cache of ${entry.host}`}
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder={`docker://${entry.host}/team/cache`}
        spellCheck={false}
        autoComplete="off"
      />
      <button type="submit" disabled={saving || text.trim() === (entry.teamCache ?? '')} aria-label={`Save the team cache of ${entry.host}`}>
        Save
      </button>
      <ErrorNote message={error} />
    </form>
  );
}
