/** Settings facts shared with the UI (no Node imports). */

export interface NixFacts {
  /** nix-build's path on PATH, or null when Nix is missing. */
  readonly binary: string | null;
  /** Why Nix could not be asked, or null. */
  readonly error: string | null;
  readonly version: string | null;
  /** `builders` from Nix's own configuration (nix.conf), as Nix reports it. */
  readonly configBuilders: string | null;
  readonly system: string | null;
  /** The builders the user set for Lamina's builds (passed as --builders), or null to use Nix's. */
  readonly builders: string | null;
}
