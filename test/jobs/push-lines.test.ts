import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatBlobLine, parseBlobLine, type BlobState } from '../../src-main/engine/jobs/kinds/push-lines.js';

const STATES: BlobState[] = ['checking', 'mounting', 'uploading', 'uploaded', 'exists', 'mounted'];

describe('push log lines', () => {
  it('reads back every blob line the push job writes, and nothing else', () => {
    const blob = fc.record({
      digest: fc.stringMatching(/^[0-9a-f]{64}$/).map((hex) => `sha256:${hex}`),
      state: fc.constantFrom(...STATES),
      sent: fc.nat(),
      size: fc.nat(),
    });
    fc.assert(
      fc.property(blob, (line) => {
        expect(parseBlobLine(formatBlobLine(line))).toEqual(line);
      }),
    );
    // The job's other lines, and blob lines cut short or run on, are not taken for a blob.
    expect(parseBlobLine('manifest sha256:' + 'a'.repeat(64))).toBeNull();
    expect(parseBlobLine(`blob sha256:${'a'.repeat(64)} uploading 5/10 extra`)).toBeNull();
    expect(parseBlobLine(`blob sha256:${'a'.repeat(63)} uploaded 5/5`)).toBeNull();
    expect(parseBlobLine(`blob sha256:${'a'.repeat(64)} pushed 5/5`)).toBeNull();
  });
});
