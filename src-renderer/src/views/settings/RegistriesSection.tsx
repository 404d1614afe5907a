import { useId, useState, type FormEvent } from 'react';
import type { SecretKeep, SecretKeepChoices } from '../../../../src-shared/logins';
import { useSettings } from '../../store/settings';
import { ErrorNote } from '../../components/ErrorNote';
import { TeamCacheCell } from './TeamCacheCell';

const KEEP_LABELS: Record<SecretKeep, string> = {
  'safe-storage': 'System keychain',
  helper: 'Docker credential helper',
  session: 'This session only',
};

/** The keychain when there is one; else the session, since a helper may need setting up first (the user picks it). */
function defaultKeep(choices: SecretKeepChoices): SecretKeep {
  return choices.safeStorage ? 'safe-storage' : 'session';
}

/** The registries pushes and pulls can log in to; secrets go in, never come back out. */
export function RegistriesSection() {
  const id = useId();
  const registries = useSettings((s) => s.registries);
  const choices = useSettings((s) => s.choices);
  const listError = useSettings((s) => s.registriesError);
  const removeRegistry = useSettings((s) => s.removeRegistry);

  return (
    <section className="card settings-section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Registries</h2>
      {choices && !choices.safeStorage ? (
        <p className="settings-note" role="note">
          This page runs in a browser through <code>lamina serve</code>, which has no system keychain.
          {choices.helpers.length > 0
            ? ' Keep secrets in a docker credential helper, or for this session only: '
            : ' No docker credential helper is installed, so secrets are kept '}
          in memory until <code>lamina serve</code> stops, then you enter them again. They are never written to disk.
        </p>
      ) : null}
      <ErrorNote message={listError} />
      {registries === null ? (
        listError ? null : <p className="muted">Loading registries…</p>
      ) : registries.length === 0 ? (
        <p className="muted">No registries yet. Add one to push to it with a login.</p>
      ) : (
        <table className="settings-table" aria-label="Registries">
          <thead>
            <tr>
              <th scope="col">Host</th>
              <th scope="col">User</th>
              <th scope="col">Secret kept in</th>
              <th scope="col">Secret</th>
              <th scope="col">TLS</th>
              <th scope="col">Team cache</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {registries.map((entry) => (
              <tr key={entry.host}>
                <td>
                  <code>{entry.host}</code>
                </td>
                <td>{entry.username}</td>
                <td>{entry.keep === 'helper' ? `${KEEP_LABELS.helper} (${entry.helper})` : KEEP_LABELS[entry.keep]}</td>
                <td>
                  {entry.secretAvailable ? (
                    <span className="badge badge-succeeded">Ready</span>
                  ) : (
                    <span className="badge badge-failed" title="Save the registry again with its secret">
                      Needs the secret again
                    </span>
                  )}
                </td>
                <td>{entry.tlsVerify ? 'verified' : 'not verified'}</td>
                <td>
                  {/* Keyed by the saved reference: after a save the field shows it as stored. */}
                  <TeamCacheCell key={entry.teamCache ?? ''} entry={entry} />
                </td>
                <td>
                  <button type="button" onClick={() => void removeRegistry(entry.host)} aria-label={`Remove ${entry.host}`}>
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {choices ? <RegistryForm choices={choices} /> : null}
    </section>
  );
}

function RegistryForm({ choices }: { readonly choices: SecretKeepChoices }) {
  const id = useId();
  const saveRegistry = useSettings((s) => s.saveRegistry);
  const [host, setHost] = useState('');
  const [username, setUsername] = useState('');
  const [secret, setSecret] = useState('');
  const [keep, setKeep] = useState<SecretKeep>(defaultKeep(choices));
  const [helper, setHelper] = useState(choices.helpers[0] ?? '');
  const [tlsVerify, setTlsVerify] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    setError(null);
    setSaved(null);
    setSaving(true);
    void saveRegistry({ host, username, secret, keep, tlsVerify, ...(keep === 'helper' ? { helper } : {}) })
      .then((problem) => {
        setError(problem);
        if (problem === null) {
          // The secret leaves the page as soon as the engine has it.
          setSecret('');
          setSaved(host.trim().toLowerCase());
        }
      })
      .finally(() => setSaving(false));
  };

  return (
    <form className="settings-form" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Add or replace a registry</h3>
      <div className="settings-fields">
        <label htmlFor={`${id}-host`}>
          Registry host
          <input id={`${id}-host`} value={host} onChange={(e) => setHost(e.target.value)} placeholder="ghcr.io or localhost:5000" spellCheck={false} autoComplete="off" />
        </label>
        <label htmlFor={`${id}-user`}>
          User name
          <input id={`${id}-user`} value={username} onChange={(e) => setUsername(e.target.value)} spellCheck={false} autoComplete="off" />
        </label>
        <label htmlFor={`${id}-secret`}>
          Password or token
          <input id={`${id}-secret`} type="password" value={secret} onChange={(e) => setSecret(e.target.value)} autoComplete="new-password" />
        </label>
        <label htmlFor={`${id}-keep`}>
          Keep the secret in
          <select id={`${id}-keep`} value={keep} onChange={(e) => setKeep(e.target.value as SecretKeep)}>
            <option value="safe-storage" disabled={!choices.safeStorage}>
              {KEEP_LABELS['safe-storage']}
              {choices.safeStorage ? '' : ' (desktop app only)'}
            </option>
            <option value="helper" disabled={choices.helpers.length === 0}>
              {KEEP_LABELS.helper}
              {choices.helpers.length === 0 ? ' (none installed)' : ''}
            </option>
            <option value="session">{KEEP_LABELS.session}</option>
          </select>
        </label>
        {keep === 'helper' ? (
          <label htmlFor={`${id}-helper`}>
            Credential helper
            <select id={`${id}-helper`} value={helper} onChange={(e) => setHelper(e.target.value)}>
              {choices.helpers.map((name) => (
                <option key={name} value={name}>
                  docker-credential-{name}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <label htmlFor={`${id}-tls`} className="settings-check">
          <input id={`${id}-tls`} type="checkbox" checked={tlsVerify} onChange={(e) => setTlsVerify(e.target.checked)} />
          Verify TLS certificates
        </label>
        <button type="submit" className="primary" disabled={saving}>
          {saving ? 'Saving…' : 'Save registry'}
        </button>
      </div>
      <ErrorNote message={error} />
      {saved ? (
        <p className="settings-saved" role="status">
          Saved {saved}.
        </p>
      ) : null}
    </form>
  );
}
