import { useId, useState, type FormEvent } from 'react';
import { useSettings } from '../../store/settings';
import { ErrorNote } from '../../components/ErrorNote';

/** Which Nix runs and where Lamina looks for it, what builders it has, and the builders Lamina asks it to use. */
export function NixSection() {
  const id = useId();
  const nix = useSettings((s) => s.nix);
  const loadError = useSettings((s) => s.nixError);

  return (
    <section className="card settings-section" aria-labelledby={`${id}-title`}>
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
              <code data-testid="settings-nix-binary">{nix.binary ?? 'not found'}</code>
            </dd>
            <dt>System</dt>
            <dd>{nix.system ?? '—'}</dd>
            <dt>Builders in nix.conf</dt>
            <dd>
              <code data-testid="settings-nix-builders">{nix.configBuilders || 'none (builds run on this machine)'}</code>
            </dd>
          </dl>
          <NixDirForm key={`dir:${nix.nixDir ?? ''}`} saved={nix.nixDir} />
          <BuildersForm key={nix.builders ?? ''} saved={nix.builders} />
        </>
      )}
    </section>
  );
}

/**
 * The folder searched for Nix's programs before PATH: an app started from a
 * desktop menu often has no login-shell PATH. Keyed by the saved value.
 */
function NixDirForm({ saved }: { readonly saved: string | null }) {
  const id = useId();
  const setNixDir = useSettings((s) => s.setNixDir);
  const [dir, setDir] = useState(saved ?? '');
  const [error, setError] = useState<string | null>(null);

  const save = (value: string | null) => (event?: FormEvent): void => {
    event?.preventDefault();
    setError(null);
    void setNixDir(value).then(setError);
  };

  return (
    <form className="settings-form" onSubmit={save(dir.trim() === '' ? null : dir)} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Where Lamina finds Nix</h3>
      <div className="settings-fields">
        <label htmlFor={`${id}-dir`} className="settings-wide">
          Folder with Nix&apos;s programs (empty: PATH, then where Nix installs itself)
          <input
            id={`${id}-dir`}
            value={dir}
            onChange={(e) => setDir(e.target.value)}
            placeholder="/nix/var/nix/profiles/default/bin"
            spellCheck={false}
            autoComplete="off"
          />
        </label>
        <button type="submit" className="primary">
          Save folder
        </button>
        <button type="button" onClick={save(null)} disabled={saved === null}>
          Use PATH
        </button>
      </div>
      <p className="muted">
        {saved === null ? (
          'Lamina looks on PATH, then in /nix/var/nix/profiles/default/bin, ~/.nix-profile/bin and /run/current-system/sw/bin.'
        ) : (
          <>
            Lamina looks in <code>{saved}</code> first. The CLI uses this folder too.
          </>
        )}
      </p>
      <ErrorNote message={error} />
    </form>
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
