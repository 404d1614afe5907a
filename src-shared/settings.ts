/** Settings facts shared with the UI (no Node imports). */

export interface NixFacts {
  /** The nix-build Lamina runs (Settings' folder, PATH, then the usual install places), or null when Nix is missing. */
  readonly binary: string | null;
  /** Why Nix could not be asked, or null. */
  readonly error: string | null;
  readonly version: string | null;
  /** `builders` from Nix's own configuration (nix.conf), as Nix reports it. */
  readonly configBuilders: string | null;
  readonly system: string | null;
  /** The builders the user set for Lamina's builds (passed as --builders), or null to use Nix's. */
  readonly builders: string | null;
  /** The folder with Nix's programs the user chose (searched first), or null. */
  readonly nixDir: string | null;
}
