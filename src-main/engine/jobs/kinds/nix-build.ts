import { buildAttrs } from '../../nix/build.js';
import { formatNixLogLine } from '../../nix/log.js';
import { describeSource, parseSource } from '../../nix/source.js';
import type { JobKind } from '../kind.js';
import { WithheldSources } from './withheld-sources.js';

export interface NixBuildInput {
  /** A package source as a person writes it: a path, `<nixpkgs>`, a flake reference. */
  readonly source: string;
  readonly attrs: readonly string[];
}

export interface NixBuildResult {
  /** Attribute -> the store path Nix built for it. */
  readonly built: Record<string, string>;
  readonly outPaths: string[];
}

/**
 * Builds attributes of a package source with Nix, streaming Nix's log into the
 * job; `builders` gives the remote builders set in Settings (undefined: nix.conf's);
 * `sources` holds the real sources of inputs stored with their credentials withheld.
 */
export const nixBuildJob = (builders: () => string | undefined, sources: WithheldSources = new WithheldSources()): JobKind<NixBuildInput> => ({
  title: ({ attrs }) => `nix build ${attrs.join(' ')}`,
  storedInput: (input) => ({ ...input, source: sources.withhold(input.source) }),
  async run(input, { emit, signal }): Promise<NixBuildResult> {
    const source = parseSource(sources.reveal(input.source));
    emit({ type: 'phase', name: 'nix' });
    emit({ type: 'log', stream: 'info', text: `Building ${input.attrs.join(', ')} from ${describeSource(source)}` });
    const chosen = builders();
    const built = await buildAttrs(source, [...input.attrs], {
      signal,
      ...(chosen !== undefined ? { builders: chosen } : {}),
      // Which derivation, and which machine, matters once several build at once or remotely.
      onLog: (line) => emit({ type: 'log', text: formatNixLogLine(line) }),
    });
    for (const [attr, path] of built) emit({ type: 'log', stream: 'info', text: `${attr} -> ${path}` });
    return { built: Object.fromEntries(built), outPaths: [...built.values()] };
  },
});
