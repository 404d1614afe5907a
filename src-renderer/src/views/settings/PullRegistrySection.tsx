import { useId, useState, type FormEvent } from 'react';
import { ErrorNote } from '../../components/ErrorNote';
import { useSettings } from '../../store/settings';

/**
 * The pull registry switch: while on, `docker pull ADDRESS/git/curl` (podman,
 * skopeo…) gets an image built on demand from the default source, on this machine only.
 */
export function PullRegistrySection() {
  const id = useId();
  const status = useSettings((s) => s.pullRegistry);
  const error = useSettings((s) => s.pullRegistryError);
  const switchPullRegistry = useSettings((s) => s.switchPullRegistry);
  const [busy, setBusy] = useState(false);
  const [copied, setCopied] = useState<string | null>(null);

  const toggle = (on: boolean): void => {
    setBusy(true);
    setCopied(null);
    void switchPullRegistry(on).finally(() => setBusy(false));
  };
  const copy = (address: string) => (): void => {
    navigator.clipboard.writeText(address).then(
      () => setCopied('Copied'),
      () => setCopied('Copy failed: select the address and copy it by hand'),
    );
  };

  return (
    <section className="card settings-section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Pull registry</h2>
      <ErrorNote message={error} />
      {status === null ? null : (
        <>
          <div className="settings-fields">
            <label className="settings-check">
              <input type="checkbox" role="switch" checked={status.running} disabled={busy} onChange={(e) => toggle(e.target.checked)} data-testid="pull-registry-switch" />
              Serve images built on demand on this machine (127.0.0.1)
            </label>
          </div>
          {status.address ? (
            <p className="digest-row">
              <code data-testid="pull-registry-address">{status.address}</code>
              <button type="button" onClick={copy(status.address)}>
                Copy address
              </button>
              <span role="status" className="muted">
                {copied}
              </span>
            </p>
          ) : null}
          <p className="muted">
            Pull <code>{status.address ?? 'ADDRESS'}/bash/git:latest</code> to get bash and git from the default source (<code>shell</code> adds a usable shell);
            another tag names a saved recipe and takes its source. Plain HTTP: podman and skopeo need <code>--tls-verify=false</code> (docker allows it on
            127.0.0.1). Each image is built once, as a job, and then served from the cache.
          </p>
          <SourceForm key={status.source ?? ''} saved={status.source} />
        </>
      )}
    </section>
  );
}

/** The package source of tag `latest`. Keyed by the saved value. */
function SourceForm({ saved }: { readonly saved: string | null }) {
  const id = useId();
  const setPullSource = useSettings((s) => s.setPullSource);
  const [source, setSource] = useState(saved ?? '');
  const [error, setError] = useState<string | null>(null);

  const save = (event: FormEvent): void => {
    event.preventDefault();
    setError(null);
    void setPullSource(source.trim() === '' ? null : source).then(setError);
  };

  return (
    <form className="settings-form" onSubmit={save} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Default source (tag latest)</h3>
      <div className="settings-fields">
        <label htmlFor={`${id}-source`} className="settings-wide">
          Package source: a folder or .nix file, &lt;nixpkgs&gt;, or a flake
          <input id={`${id}-source`} value={source} onChange={(e) => setSource(e.target.value)} placeholder="<nixpkgs>" spellCheck={false} autoComplete="off" data-testid="pull-registry-source" />
        </label>
        <button type="submit" className="primary">
          Save source
        </button>
      </div>
      <ErrorNote message={error} />
    </form>
  );
}
