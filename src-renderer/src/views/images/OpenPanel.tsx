import { useEffect, useId, useState, type FormEvent } from 'react';
import { api } from '../../api/api';
import { formatBytes, formatTime } from '../../format';
import { useImages, type ImageSource } from '../../store/images';
import { ErrorNote } from '../../components/ErrorNote';
import { ProgressBar } from '../../components/ProgressBar';
import { Tabs, type TabDef } from './Tabs';

const SOURCES: readonly TabDef<ImageSource>[] = [
  { id: 'store', label: 'Local store' },
  { id: 'registry', label: 'Registry' },
  { id: 'oci', label: 'OCI layout' },
  { id: 'archive', label: 'Docker archive' },
];

/** Where to open an image from: the local store, a registry (catalog and tags), an OCI layout folder or a docker save archive. */
export function OpenPanel() {
  const id = useId();
  const source = useImages((s) => s.source);
  const setSource = useImages((s) => s.setSource);
  return (
    <section className="card images-open" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Open an image</h2>
      <Tabs label="Image source" tabs={SOURCES} selected={source} onSelect={setSource} idBase={id}>
        {source === 'store' ? <StoreList /> : source === 'registry' ? <RegistryBrowser /> : <PathForm key={source} kind={source} />}
        <OpenError />
        <PlatformChoice />
      </Tabs>
      <OpenStatus />
    </section>
  );
}

/**
 * The running open: its layer bytes and layers read of the manifest's totals (the
 * numbers `lamina inspect --files` shows) and a Cancel; after it, where it ended or
 * that it was cancelled. Only the lines are a live region, not the moving bar.
 */
function OpenStatus() {
  const opening = useImages((s) => s.opening);
  const progress = useImages((s) => s.openProgress);
  const cancelling = useImages((s) => s.cancelling);
  const cancelled = useImages((s) => (s.cancelled?.source === s.source ? s.cancelled.ref : null));
  const cancelOpen = useImages((s) => s.cancelOpen);
  const bar =
    progress && progress.layersTotal > 0 ? (
      <>
        <ProgressBar progress={{ done: progress.bytesDone, total: progress.bytesTotal, unit: 'bytes' }} label="Layer bytes read" />
        <p className="muted images-open-layers">
          {progress.layersDone} of {progress.layersTotal} layers
        </p>
      </>
    ) : null;
  if (opening) {
    return (
      <div className="images-opening">
        <p className="muted" role="status">
          {cancelling ? `Cancelling the open of ${opening}…` : `Opening ${opening}… (each layer is read once, then its index is kept)`}
        </p>
        {bar ?? <progress className="images-open-wait" aria-label="Layer bytes read" />}
        <button type="button" onClick={cancelOpen} disabled={cancelling}>
          Cancel
        </button>
      </div>
    );
  }
  if (cancelled) {
    return (
      <p className="images-opening" role="status">
        Cancelled opening {cancelled}; nothing half-read was kept.
      </p>
    );
  }
  return bar ? <div className="images-opening">{bar}</div> : null;
}

/** Why the last open from this source tab failed (an open started elsewhere shows in its own tab). */
function OpenError() {
  const message = useImages((s) => (s.openError?.source === s.source ? s.openError.message : null));
  return <ErrorNote message={message} />;
}

function StoreList() {
  const images = useImages((s) => s.storeImages);
  const error = useImages((s) => s.storeError);
  const open = useImages((s) => s.open);
  useEffect(() => {
    void useImages.getState().loadStore();
  }, []);
  if (error) return <ErrorNote message={error} />;
  if (images === null) return <p className="muted">Reading the store…</p>;
  if (images.length === 0) return <p className="muted">No images in the local store yet: build one, or open one from elsewhere.</p>;
  return (
    <ul className="images-store-list" aria-label="Images in the local store">
      {images.map((image) => (
        <li key={image.name}>
          <button type="button" onClick={() => void open(image.ref, true)}>
            <strong>{image.name}</strong>
            <span className="muted">
              {formatBytes(image.size)} · {formatTime(image.createdAt)}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}

function PathForm({ kind }: { readonly kind: 'oci' | 'archive' }) {
  const id = useId();
  const [path, setPath] = useState('');
  const open = useImages((s) => s.open);
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const trimmed = path.trim();
    void open(kind === 'oci' ? `oci:${trimmed}` : `docker-archive:${trimmed}`, true);
  };
  return (
    <form className="images-form" onSubmit={submit}>
      <label htmlFor={`${id}-path`}>
        {kind === 'oci' ? 'OCI layout folder (optionally :TAG)' : 'Docker archive file (docker save)'}
        <input id={`${id}-path`} value={path} onChange={(e) => setPath(e.target.value)} placeholder={kind === 'oci' ? '/path/to/layout:latest' : '/path/to/image.tar'} spellCheck={false} autoComplete="off" />
      </label>
      <button type="submit" className="primary">
        Open
      </button>
    </form>
  );
}

function RegistryBrowser() {
  const id = useId();
  const [registry, setRegistry] = useState('');
  const [tlsVerify, setTlsVerify] = useState(true);
  const [repositories, setRepositories] = useState<readonly string[] | null>(null);
  const [repository, setRepository] = useState<string | null>(null);
  const [tags, setTags] = useState<readonly string[] | null>(null);
  const [reference, setReference] = useState('');
  const [error, setError] = useState<string | null>(null);
  const open = useImages((s) => s.open);

  const browse = (event: FormEvent): void => {
    event.preventDefault();
    setError(null);
    setRepository(null);
    setTags(null);
    api.request('images:catalog', { registry, tlsVerify }).then(setRepositories, (err: unknown) => setError((err as Error).message));
  };
  const pickRepository = (repo: string): void => {
    setRepository(repo);
    setTags(null);
    setError(null);
    api.request('images:tags', { repository: `${registry.trim()}/${repo}`, tlsVerify }).then(setTags, (err: unknown) => setError((err as Error).message));
  };
  const openReference = (event: FormEvent): void => {
    event.preventDefault();
    const ref = reference.trim();
    void open(ref.startsWith('docker://') ? ref : `docker://${ref}`, tlsVerify);
  };

  return (
    <div className="images-registry">
      <form className="images-form" onSubmit={browse}>
        <label htmlFor={`${id}-registry`}>
          Registry
          <input id={`${id}-registry`} value={registry} onChange={(e) => setRegistry(e.target.value)} placeholder="localhost:5000" spellCheck={false} autoComplete="off" />
        </label>
        <label htmlFor={`${id}-tls`} className="images-check">
          <input id={`${id}-tls`} type="checkbox" checked={tlsVerify} onChange={(e) => setTlsVerify(e.target.checked)} />
          Verify TLS certificates
        </label>
        <button type="submit">Browse</button>
      </form>
      <ErrorNote message={error} />
      {repositories ? (
        <div className="images-browse">
          <ul aria-label="Repositories">
            {repositories.length === 0 ? <li className="muted">No repositories</li> : null}
            {repositories.map((repo) => (
              <li key={repo}>
                <button type="button" aria-pressed={repo === repository} onClick={() => pickRepository(repo)}>
                  {repo}
                </button>
              </li>
            ))}
          </ul>
          {repository ? (
            <ul aria-label={`Tags of ${repository}`}>
              {tags === null ? <li className="muted">Listing tags…</li> : null}
              {tags?.map((tag) => (
                <li key={tag}>
                  <button type="button" onClick={() => void open(`docker://${registry.trim()}/${repository}:${tag}`, tlsVerify)}>
                    {tag}
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      <form className="images-form" onSubmit={openReference}>
        <label htmlFor={`${id}-ref`}>
          Or an image reference
          <input id={`${id}-ref`} value={reference} onChange={(e) => setReference(e.target.value)} placeholder="docker://localhost:5000/team/app:1.0" spellCheck={false} autoComplete="off" />
        </label>
        <button type="submit" className="primary">
          Open
        </button>
      </form>
    </div>
  );
}

/** A multi-platform index: ask which image to open. */
function PlatformChoice() {
  const choice = useImages((s) => (s.platformChoice?.source === s.source ? s.platformChoice : null));
  const open = useImages((s) => s.open);
  const cancel = useImages((s) => s.cancelPlatformChoice);
  if (!choice) return null;
  return (
    <div className="images-platforms" role="group" aria-label="Choose a platform">
      <p>
        <code>{choice.ref}</code> is a multi-platform index. Which image?
      </p>
      {choice.platforms.map((platform) => (
        <button key={platform} type="button" onClick={() => void open(choice.ref, choice.tlsVerify, platform)}>
          {platform}
        </button>
      ))}
      <button type="button" onClick={cancel}>
        Cancel
      </button>
    </div>
  );
}
