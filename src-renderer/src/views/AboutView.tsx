import { useEngine } from '../store/engine';
import { ErrorNote } from '../components/ErrorNote';

/** What this app runs on: real facts from the engine, not from the page. */
export function AboutView() {
  const info = useEngine((s) => s.info);
  const error = useEngine((s) => s.error);
  return (
    <section className="about" aria-labelledby="about-title">
      <h2 id="about-title">About this Lamina</h2>
      <ErrorNote message={error} />
      {info ? (
        <dl className="facts">
          <dt>Lamina</dt>
          <dd data-testid="lamina-version">{info.version}</dd>
          <dt>Nix</dt>
          <dd data-testid="nix-version">{'version' in info.nix ? info.nix.version : <span className="error">{info.nix.error}</span>}</dd>
          <dt>Data folder</dt>
          <dd>
            <code data-testid="data-dir">{info.dataDir}</code>
            <p className="muted">
              Shared with the <code>lamina</code> command: both use one cache and one job history.
            </p>
          </dd>
          <dt>Platform</dt>
          <dd>{info.platform}</dd>
          <dt>Job kinds</dt>
          <dd>{info.jobKinds.join(', ')}</dd>
        </dl>
      ) : error ? null : (
        <p className="muted">Asking the engine…</p>
      )}
    </section>
  );
}
