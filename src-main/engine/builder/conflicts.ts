/**
 * How a customisation-layer conflict reads to a person: the CLI prints it on
 * stderr and the image-build job logs it, in the same words.
 */
import type { LinkConflict } from '../tarball/types.js';

/** `/bin/tool: kept /nix/store/…-a, skipped /nix/store/…-b (…)`, on one line. */
export function conflictLine(conflict: LinkConflict): string {
  const skipped = conflict.ignored.join(', ');
  // /tmp is the image's own (1777) whatever the packages hold, so reordering would not help.
  if (conflict.kept === '(the image)') return `${conflict.path}: kept the image's own writable /tmp, skipped ${skipped}`;
  return `${conflict.path}: kept ${conflict.kept}, skipped ${skipped} (the first package named wins; reorder the packages to change it)`;
}
