import { useState } from 'react';
import { BLOB_STATE_LABELS, type PushDetail } from '../../../../src-shared/push-detail';
import type { JobSummary } from '../../../../src-shared/jobs';
import { formatBytes } from '../../format';

export interface PushResult {
  readonly reference: string;
  readonly digest: string;
  readonly bytesUploaded: number;
}

/** What a finished push made: the reference, the digest the registry names it by, with a copy button. */
export function Pushed({ result }: { result: PushResult }) {
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

/** A bar per blob from the push job's detail: checked, sending, then uploaded, already there or mounted. */
export function BlobBars({ job }: { job: JobSummary }) {
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
