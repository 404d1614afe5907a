import { useEffect, useId, useState, type FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { StoreImageEntry } from '../../../src-shared/images';
import type { JobSummary } from '../../../src-shared/jobs';
import type { RegistryEntry } from '../../../src-shared/logins';
import { api } from '../api/api';
import { ErrorNote } from '../components/ErrorNote';
import { useJobs } from '../store/jobs';
import { useRecipe } from '../store/recipe';
import type { BuiltImageResult } from './BuildView';
import { JobHeader } from './flow/JobHeader';
import { trackStarted } from './flow/track-job';
import { ImagePicker } from './push/ImagePicker';
import { BlobBars, Pushed, type PushResult } from './push/PushOutcome';
import {
  autoCredentialsLabel,
  builtImageNames,
  credentialsNote,
  destinationHost,
  destinationSuggestions,
  newestFirst,
  pastDestinations,
  type CredentialsChoice,
} from './push/push-choices';
import './flow.css';

const knownJobs = (s: { order: readonly number[]; byId: Readonly<Record<number, JobSummary>> }): JobSummary[] => s.order.map((id) => s.byId[id]!);

/**
 * Push: an image from the local store to a registry in one click. The image
 * defaults to the last build, the destination to the last one pushed to, and
 * the form says which saved login goes with it; a bar per blob, then the digest
 * the registry now names.
 */
export function PushView() {
  const id = useId();
  const buildJobId = useRecipe((s) => s.buildJobId);
  const lastBuilt = useJobs((s) => {
    const job = buildJobId === null ? undefined : s.byId[buildJobId];
    return job?.state === 'succeeded' ? (job.result as BuiltImageResult).name : null;
  });
  const builtNames = useJobs(useShallow((s) => builtImageNames(knownJobs(s))));
  const past = useJobs(useShallow((s) => pastDestinations(knownJobs(s))));
  const jobId = useRecipe((s) => s.pushJobId);
  const job = useJobs((s) => (jobId === null ? undefined : s.byId[jobId]));

  const [images, setImages] = useState<StoreImageEntry[] | null>(null);
  const [picked, setPicked] = useState<string | null>(null);
  const [registries, setRegistries] = useState<readonly RegistryEntry[]>([]);
  const [error, setError] = useState<string | null>(null);
  // Until the person types a destination, the last one pushed to.
  const typedTarget = useRecipe((s) => s.pushTarget);
  const setTarget = useRecipe((s) => s.setPushTarget);
  const [targetTouched, setTargetTouched] = useState(false);
  const [credentials, setCredentials] = useState<CredentialsChoice>('auto');
  const [typedInsecure, setInsecure] = useState<boolean | null>(null);

  useEffect(() => {
    api.request('registries:list', {}).then(setRegistries, (err: unknown) => setError((err as Error).message));
  }, []);
  // Again once a build finishes, so its image is in the list.
  useEffect(() => {
    api.request('images:store', {}).then(
      (list) => setImages(newestFirst(list)),
      (err: unknown) => setError((err as Error).message),
    );
  }, [lastBuilt]);

  const inStore = (name: string | null): name is string => name !== null && (images ?? []).some((image) => image.name === name);
  const image = inStore(picked) ? picked : ([lastBuilt, ...builtNames].find(inStore) ?? images?.[0]?.name ?? '');
  const target = typedTarget !== '' || targetTouched ? typedTarget : (past[0] ?? '');
  const host = destinationHost(target);
  const saved = registries.find((r) => r.host === host);
  // Until the box is touched, a registry set up in Settings decides whether TLS is checked.
  const insecure = typedInsecure ?? (saved ? !saved.tlsVerify : false);
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
          <ImagePicker id={`${id}-image`} images={images} value={image} onChange={setPicked} />
          <label htmlFor={`${id}-target`} className="grow">
            Target reference
            <input
              id={`${id}-target`}
              value={target}
              onChange={(e) => {
                setTargetTouched(true);
                setTarget(e.target.value);
              }}
              list={`${id}-destinations`}
              placeholder="registry.example.com/team/app:1.0"
              autoComplete="off"
              spellCheck={false}
            />
            <datalist id={`${id}-destinations`}>
              {destinationSuggestions(past, registries).map((suggestion) => (
                <option key={suggestion} value={suggestion} />
              ))}
            </datalist>
          </label>
          <label htmlFor={`${id}-creds`}>
            Credentials
            <select id={`${id}-creds`} value={credentials} onChange={(e) => setCredentials(e.target.value as CredentialsChoice)}>
              <option value="auto">{autoCredentialsLabel(host, saved)}</option>
              <option value="anonymous">Anonymous</option>
            </select>
          </label>
          <label htmlFor={`${id}-insecure`} className="check">
            <input id={`${id}-insecure`} type="checkbox" checked={!insecure} onChange={(e) => setInsecure(!e.target.checked)} />
            Verify TLS certificates (untick for a local registry on plain HTTP or a self-signed certificate)
          </label>
          <button type="submit" className="primary" disabled={active || image === ''}>
            Push image
          </button>
        </div>
        {host ? (
          <p className="muted" data-testid="credentials-hint">
            {credentialsNote(host, credentials, saved)}
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
