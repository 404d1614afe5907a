import type { PackageIndex } from '../../package-index/package-index.js';
import type { IndexedSource } from '../../../../src-shared/packages.js';
import type { JobKind } from '../kind.js';
import { WithheldSources } from './withheld-sources.js';

export interface PackageIndexInput {
  readonly source: string;
  /** Reload a source whose revision is already indexed. */
  readonly force: boolean;
}

/**
 * Loading a source's package index as a job: listing can take a while on a big
 * package set, so it runs with a phase and progress the Compose view shows, and
 * can be cancelled like any other job.
 */
export function packageIndexJob(index: () => PackageIndex, sources: WithheldSources = new WithheldSources()): JobKind<PackageIndexInput> {
  return {
    title: ({ source }) => `index packages of ${source}`,
    storedInput: (input) => ({ ...input, source: sources.withhold(input.source) }),
    run: async ({ source, force }, { emit, signal }): Promise<IndexedSource> => {
      const indexed = await index().load(sources.reveal(source), {
        signal,
        force,
        onProgress: ({ phase, done, total }) => {
          emit({ type: 'phase', name: phase });
          if (phase === 'indexing') emit({ type: 'progress', done, total, unit: 'packages' });
        },
      });
      emit({ type: 'log', stream: 'info', text: `Indexed ${indexed.packages} packages of ${indexed.source}` });
      return indexed;
    },
  };
}
