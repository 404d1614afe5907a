import { useEffect } from 'react';
import { useEngine } from '../store/engine';
import { useSettings } from '../store/settings';
import { NixSection } from './settings/NixSection';
import { PullRegistrySection } from './settings/PullRegistrySection';
import { RegistriesSection } from './settings/RegistriesSection';
import './settings/settings.css';

/** Registries and their credentials, the data folder, Nix with its builders, and the pull registry. */
export function SettingsView() {
  const dataDir = useEngine((s) => s.info?.dataDir);
  useEffect(() => {
    void useSettings.getState().load();
  }, []);
  return (
    <div className="settings-view">
      <RegistriesSection />
      <section className="card settings-section" aria-labelledby="settings-data-title">
        <h2 id="settings-data-title">Data folder</h2>
        <p>
          <code data-testid="settings-data-dir">{dataDir ?? '…'}</code>
        </p>
        <p className="muted">
          The cache, images, job history and settings live here, shared with the <code>lamina</code> command. Set <code>LAMINA_HOME</code> before starting
          Lamina to use another folder.
        </p>
      </section>
      <NixSection />
      <PullRegistrySection />
    </div>
  );
}
