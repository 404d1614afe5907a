/** The pull registry's state as the UI shows it (no Node imports). */
export interface PullRegistryStatus {
  readonly running: boolean;
  /** `HOST:PORT` to put in front of a pulled name, while running. */
  readonly address: string | null;
  /** The package source of tag `latest`: the one it was started with, else Settings'; null when there is none. */
  readonly source: string | null;
}
