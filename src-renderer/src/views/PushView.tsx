import { useEffect, useId, useState, type FormEvent } from 'react';
import type { RegistryEntry } from '../../../src-main/engine/registries/types';
import { BLOB_STATE_LABELS, type PushDetail } from '../../../src-main/engine/jobs/kinds/push-detail';
import type { JobSummary } from '../../../src-main/engine/jobs/types';
import { api } from '../api/api';
import { formatBytes } from '../format';
import { useJobs } from '../store/jobs';
import { useRecipe } from '../store/recipe';
import type { BuiltImageResult } from './BuildView';
import { JobHeader } from './flow/JobHeader';
import { trackStarted } from './flow/track-job';
import './flow.css';
import { ErrorNote } from '../components/ErrorNote';

interface PushResult {
  readonly reference: string;
  readonly digest: string;
  readonly bytesUploaded: number;
}

type Credentials = 'auto' | 'anonymous';

/** The registry host of a reference as typed: its first part when that looks like a host (docker.io rules). */
export function targetHost(target: string): string | null {
  const first = target.trim().replace(/^docker:\/\//, '').split('/')[0] ?? '';
  if (first === '' || !target.includes('/')) return target.trim() === '' ? null : 'docker.io';
  return /[.:]/.test(first) || first === 'localhost' ? first.toLowerCase() : 'docker.io';
}

/** Push: the built image to a registry in one click, a bar per blob, the digest the registry now names. */
export function PushView() {
  const id = useId();
  const buildJobId = useRecipe((s) => s.buildJobId);
  const built = useJobs((s) => (buildJobId === null ? undefined : s.byId[buildJobId]));
  const builtName = built?.state === 'succeeded' ? (built.result as BuiltImageResult).name : '';
  const jobId = useRecipe((s) => s.pushJobId);
  const job = useJobs((s) => (jobId === null ? undefined : s.byId[jobId]));
  // What the person typed; until then, the image the last build made.
  const [typedImage, setImage] = useState<string | null>(null);
  const image = typedImage ?? builtName;
  const target = useRecipe((s) => s.pushTarget);
  const setTarget = useRecipe((s) => s.setPushTarget);
  const [credentials, setCredentials] = useState<Credentials>('auto');
  const [typedInsecure, setInsecure] = useState<boolean | null>(null);
  const [registries, setRegistries] = useState<readonly RegistryEntry[]>([]);
  const [error, setError] = useState<string | null>(null);
  const host = targetHost(target);
  const saved = registries.find((r) => r.host === host);
  // Until the box is touched, a registry set up in Settings decides whether TLS is checked.
  const insecure = typedInsecure ?? (saved ? !saved.tlsVerify : false);

  useEffect(() => {
    api.request('registries:list', {}).then(setRegistries, (err: unknown) => setError((err as Error).message));
  }, []);
  const active = job?.state === 'queued' || job?.state === 'running';

  const push = (event: FormEvent): void => {
    event.preventDefault();
    setError(null);
    api.request('jobs:start', { kind: 'push', input: { image, target, credentials, tlsVerify: !insecure } }).then(
      (started) => {
        trackStarted(started);
        useRecipe.getState().setJob('pushJobId', started.id);
      },
      (err: unknown) => setError((err as Error).message),
    );
  };

  return (
    <div className="flow-view push-view">
      <form className="flow-card push-form" onSubmit={push} aria-labelledby={`${id}-title`}>
        <h2 id={`${id}-title`}>Push to a registry</h2>
        <div className="push-fields">
          <label htmlFor={`${id}-image`}>
            Image
            <input id={`${id}-image`} value={image} onChange={(e) => setImage(e.target.value)} placeholder="an image built in Build" autoComplete="off" spellCheck={false} />
          </label>
          <label htmlFor={`${id}-target`} className="grow">
            Target reference
            <input id={`${id}-target`} value={target} onChange={(e) => setTarget(e.target.value)} placeholder="registry.example.com/team/app:1.0" autoComplete="off" spellCheck={false} />
          </label>
          <label htmlFor={`${id}-creds`}>
            Credentials
            <select id={`${id}-creds`} value={credentials} onChange={(e) => setCredentials(e.target.value as Credentials)}>
              <option value="auto">{saved ? `${saved.username} at ${saved.host} (Settings)` : 'Saved for this registry (Settings, docker login)'}</option>
              <option value="anonymous">Anonymous</option>
            </select>
          </label>
          <label htmlFor={`${id}-insecure`} className="check">
            <input id={`${id}-insecure`} type="checkbox" checked={insecure} onChange={(e) => setInsecure(e.target.checked)} />
            Plain HTTP or self-signed TLS (a local registry)
          </label>
          <button type="submit" className="primary" disabled={active}>
            Push image
          </button>
        </div>
        {host && credentials === 'auto' ? (
          <p className="muted" data-testid="credentials-hint">
            {saved
              ? saved.secretAvailable
                ? `Pushing as ${saved.username}, with the secret kept in Settings.`
                : `Settings has ${saved.host} but its secret is gone (kept for one session only): enter it again in Settings.`
              : `No registry ${host} in Settings: docker login credentials are used if there are any, else none.`}
          </p>
        ) : null}
        <ErrorNote message={error} />
        {job ? <JobHeader job={job} what="push" /> : null}
        {job?.state === 'succeeded' ? <Pushed result={job.result as PushResult} /> : null}
      </form>
      {job ? <BlobBars job={job} /> : null}
    </div>
  );
}

function Pushed({ result }: { result: PushResult }) {
  const [copied, setCopied] = useState<string | null>(null);
  const copy = (): void => {
    navigator.clipboard.writeText(result.digest).then(
      () => setCopied('Copied'),
      () => setCopied('Copy failed: select the digest and copy it by hand'),
    );
  };
  return (
    <div className="flow-result pushed">
      <span>
        Pushed <strong>{result.reference}</strong> ({formatBytes(result.bytesUploaded)} uploaded)
      </span>
      <span className="digest-row">
        <code data-testid="pushed-digest">{result.digest}</code>
        <button type="button" onClick={copy}>
          Copy digest
        </button>
        <span role="status" className="muted">
          {copied}
        </span>
      </span>
    </div>
  );
}

function BlobBars({ job }: { job: JobSummary }) {
  const blobs = (job.detail as PushDetail | null)?.blobs ?? [];
  return (
    <section className="flow-card" aria-labelledby="blobs-title">
      <h2 id="blobs-title">Blobs</h2>
      {blobs.length === 0 ? <p className="muted">Blobs appear as the push checks them.</p> : null}
      <ul className="blob-rows">
        {blobs.map((blob) => (
          <li key={blob.digest} className={`blob blob-${blob.state}`}>
            <code>{blob.digest.slice(0, 19)}</code>
            <progress aria-label={`Blob ${blob.digest.slice(7, 19)}`} value={blob.sent} max={blob.size || 1} />
            <span className="blob-state">{BLOB_STATE_LABELS[blob.state]}</span>
            <span className="muted">{formatBytes(blob.size)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
