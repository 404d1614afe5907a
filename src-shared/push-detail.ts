/**
 * A push job's live per-blob state, its detail: what the Push view draws as one
 * bar per blob. No Node imports: the renderer reads these types.
 */

export type BlobState = 'checking' | 'mounting' | 'uploading' | 'uploaded' | 'exists' | 'mounted';

export interface BlobLine {
  readonly digest: string;
  readonly state: BlobState;
  readonly sent: number;
  readonly size: number;
}

export interface PushDetail {
  /** In the order the push first reported them. */
  readonly blobs: readonly BlobLine[];
}

/** The blob's line in the job's log, for people. */
export function formatBlobLine(line: BlobLine): string {
  return `blob ${line.digest} ${line.state} ${line.sent}/${line.size}`;
}

/** What a person reads for a finished blob. */
export const BLOB_STATE_LABELS: Record<BlobState, string> = {
  checking: 'checking',
  mounting: 'mounting',
  uploading: 'uploading',
  uploaded: 'uploaded',
  exists: 'already there',
  mounted: 'mounted',
};
