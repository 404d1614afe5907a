/**
 * What a build reports while it runs. Plain data (JSON-safe), so the CLI, the
 * jobs system, the UI and the database can all take the same events.
 */

/** Two or more roots provide the same path in the customisation layer: the first root wins. */
export interface LinkConflict {
  /** The path in the image, such as `/bin/sh`. */
  path: string;
  /** The root (a store path) whose entry the image gets; `(the image)` for /tmp, which every image has. */
  kept: string;
  /** The roots whose entries were left out, in the order given. */
  ignored: string[];
}

export type BuildPhase = 'nix-build' | 'closure' | 'plan' | 'layers' | 'image' | 'export' | 'done';

export interface LayerSummary {
  /** Position in the image, 0-based; the customisation layer is last. */
  readonly index: number;
  readonly key: string;
  readonly kind: 'store-paths' | 'customisation';
  /** Store paths in the layer (top-level packages linked, for the customisation layer). */
  readonly paths: number;
  /** Sum of the paths' NAR sizes: roughly the uncompressed tar size. */
  readonly narSize: number;
  /** One sentence: why the plan made this layer what it is. */
  readonly why: string;
  /** What the layer holds, in words: "gzip + 2 more", "links to bash, gzip". */
  readonly title?: string;
}

/** Where a layer came from: the local layer cache, a team cache in a registry, or written by this build. */
export type LayerSource = 'local' | 'team' | 'built';

export type BuildEvent =
  | { readonly type: 'phase'; readonly phase: BuildPhase }
  | { readonly type: 'nix-log'; readonly text: string; readonly drv?: string; readonly host?: string }
  | { readonly type: 'plan'; readonly closurePaths: number; readonly closureNarSize: number; readonly layers: readonly LayerSummary[] }
  /** Paths two top-level packages both provide; sent before the layers, cached or not. */
  | { readonly type: 'conflicts'; readonly conflicts: readonly LinkConflict[] }
  | { readonly type: 'layer-started'; readonly index: number; readonly key: string }
  | { readonly type: 'layer-progress'; readonly index: number; readonly tarBytes: number; readonly narSize: number }
  | {
      readonly type: 'layer-done';
      readonly index: number;
      readonly key: string;
      readonly digest: string;
      readonly size: number;
      /** True when this build wrote no layer (source local or team). */
      readonly cached: boolean;
      readonly source: LayerSource;
    }
  /** Something the build worked around (an unusable team cache, say): one line for a person; the build goes on. */
  | { readonly type: 'warning'; readonly text: string };

export type BuildEventListener = (event: BuildEvent) => void;
