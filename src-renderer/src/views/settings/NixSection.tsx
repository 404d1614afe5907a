import { useId, useState, type FormEvent } from 'react';
import { useSettings } from '../../store/settings';
import { ErrorNote } from '../../components/ErrorNote';

/** Which Nix runs, what builders it has, and the builders Lamina asks it to use. */
export function NixSection() {
  const id = useId();
  const nix = useSettings((s) => s.nix);
  const loadError = useSettings((s) => s.nixError);

  return (
    <section className="settings-section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Nix</h2>
      <ErrorNote message={loadError} />
      {nix === null ? (
        loadError ? null : <p className="muted">Asking Nix…</p>
      ) : (
        <>
          <dl className="facts">
            <dt>Nix</dt>
            <dd>{nix.error ? <span className="error">{nix.error}</span> : <span data-testid="settings-nix-version">{nix.version}</span>}</dd>
            <dt>Binary</dt>
            <dd>
              <code data-testid="settings-nix-binary">{nix.binary ?? 'not on PATH'}</code>
            </dd>
            <dt>System</dt>
            <dd>{nix.system ?? '—'}</dd>
            <dt>Builders in nix.conf</dt>
            <dd>
              <code data-testid="settings-nix-builders">{nix.configBuilders || 'none (builds run on this machine)'}</code>
            </dd>
          </dl>
          <BuildersForm key={nix.builders ?? ''} saved={nix.builders} />
        </>
      )}
    </section>
  );
}

/** The builders Lamina passes to Nix as --builders; keyed by the saved value, so a save resets the field. */
function BuildersForm({ saved }: { readonly saved: string | null }) {
  const id = useId();
  const setBuilders = useSettings((s) => s.setBuilders);
  const [builders, setBuildersText] = useState(saved ?? '');
  const [error, setError] = useState<string | null>(null);

  const save = (value: string | null) => (event?: FormEvent): void => {
    event?.preventDefault();
    setError(null);
    void setBuilders(value).then(setError);
  };

  return (
    <form className="settings-form" onSubmit={save(builders.trim() === '' ? null : builders)} aria-labelledby={`${id}-builders-title`}>
      <h3 id={`${id}-builders-title`}>Builders for Lamina's builds</h3>
      <div className="settings-fields">
        <label htmlFor={`${id}-builders`} className="settings-wide">
          Builders (nix.conf syntax; empty: Nix's own)
          <input
            id={`${id}-builders`}
            value={builders}
            onChange={(e) => setBuildersText(e.target.value)}
            placeholder="ssh://builder x86_64-linux /root/.ssh/id_builder 2; ssh://other aarch64-linux"
            spellCheck={false}
            autoComplete="off"
          />
        </label>
        <button type="submit" className="primary">
          Save builders
        </button>
        <button type="button" onClick={save(null)} disabled={saved === null}>
          Use Nix's own
        </button>
      </div>
      <p className="muted">
        {saved === null ? 'Lamina uses the builders of Nix\u2019s own configuration.' : <>Saved for Lamina's builds: <code>--builders &apos;{saved}&apos;</code>.</>}
      </p>
      <ErrorNote message={error} />
    </form>
  );
}
