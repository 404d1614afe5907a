import { buildAttrs } from '../../nix/build.js';
import { describeSource, parseSource } from '../../nix/source.js';
import type { JobKind } from '../kind.js';

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
 * job; `builders` gives the remote builders set in Settings (undefined: nix.conf's).
 */
export const nixBuildJob = (builders: () => string | undefined): JobKind<NixBuildInput> => ({
  title: ({ attrs }) => `nix build ${attrs.join(' ')}`,
  async run(input, { emit, signal }): Promise<NixBuildResult> {
    const source = parseSource(input.source);
    emit({ type: 'phase', name: 'nix' });
    emit({ type: 'log', stream: 'info', text: `Building ${input.attrs.join(', ')} from ${describeSource(source)}` });
    const chosen = builders();
    const built = await buildAttrs(source, [...input.attrs], {
      signal,
      ...(chosen !== undefined ? { builders: chosen } : {}),
      // Which machine built what matters once remote builders are in play.
      onLog: (line) => emit({ type: 'log', text: line.host ? `[${line.host}] ${line.text}` : line.text }),
    });
    for (const [attr, path] of built) emit({ type: 'log', stream: 'info', text: `${attr} -> ${path}` });
    return { built: Object.fromEntries(built), outPaths: [...built.values()] };
  },
});
