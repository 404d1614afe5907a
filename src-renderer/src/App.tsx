import { useEffect } from 'react';
import iconUrl from '../../resources/icon.svg';
import { useConnection } from './store/connection';
import { useEngine } from './store/engine';
import { followJobs, useJobs } from './store/jobs';
import { followLogs } from './store/logs';
import { useNav } from './store/nav';
import { VIEWS } from './views';

export function App() {
  const viewId = useNav((s) => s.view);
  const setViewId = useNav((s) => s.go);
  const view = VIEWS.find((v) => v.id === viewId) ?? VIEWS[0]!;
  const View = view.component;

  useEffect(() => {
    const stops = [followJobs(), followLogs()];
    void useJobs.getState().load();
    void useEngine.getState().load();
    return () => stops.forEach((stop) => stop());
  }, []);

  return (
    <div className="app">
      <aside className="sidebar">
        <div className="brand">
          <img src={iconUrl} alt="" width={28} height={28} />
          <span>Lamina</span>
        </div>
        <nav aria-label="Main">
          <ul>
            {VIEWS.map((v) => (
              <li key={v.id}>
                <button type="button" className="nav-item" aria-current={v.id === view.id ? 'page' : undefined} onClick={() => setViewId(v.id)}>
                  {v.label}
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <EngineStatus />
      </aside>
      <main className="content" aria-label={view.label}>
        <View />
      </main>
    </div>
  );
}

/** A one-line health check in the corner: does the engine answer, and is Nix there? */
function EngineStatus() {
  const info = useEngine((s) => s.info);
  const loadError = useEngine((s) => s.error);
  const lost = useConnection((s) => s.lost);
  const error = lost ? 'The connection to Lamina was lost; check that `lamina serve` still runs, then reload the page' : loadError;
  const nixOk = info !== null && 'version' in info.nix;
  const text = lost ? 'Disconnected' : error ? 'Engine unreachable' : info === null ? 'Connecting…' : nixOk ? 'Engine ready' : 'Nix not found';
  return (
    <p className={`engine-status ${error || (info && !nixOk) ? 'is-bad' : info ? 'is-ok' : ''}`} role="status" title={error ?? undefined}>
      <span className="dot" aria-hidden="true" />
      {text}
    </p>
  );
}
