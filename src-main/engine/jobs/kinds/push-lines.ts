/**
 * How a push job reports each blob in its log: one line per state change, in a
 * fixed format the Push view reads back to draw a bar per blob. The job model
 * carries log lines, a phase and one progress value; per-blob detail rides in
 * these lines so it is stored, replayed and streamed like the rest of the log.
 * No Node imports: the renderer parses with this file too.
 */

export type BlobState = 'checking' | 'mounting' | 'uploading' | 'uploaded' | 'exists' | 'mounted';

export interface BlobLine {
  readonly digest: string;
  readonly state: BlobState;
  readonly sent: number;
  readonly size: number;
}

const BLOB_LINE = /^blob (sha256:[0-9a-f]{64}) (checking|mounting|uploading|uploaded|exists|mounted) (\d+)\/(\d+)$/;

export function formatBlobLine(line: BlobLine): string {
  return `blob ${line.digest} ${line.state} ${line.sent}/${line.size}`;
}

export function parseBlobLine(text: string): BlobLine | null {
  const match = BLOB_LINE.exec(text);
  if (!match) return null;
  return { digest: match[1]!, state: match[2] as BlobState, sent: Number(match[3]), size: Number(match[4]) };
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
