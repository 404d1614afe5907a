/**
 * Plain facts about the registries a user set up, shared with the UI (no Node
 * imports: the renderer type-checks the contract, which names these).
 */

export const SECRET_KEEPS = ['safe-storage', 'helper', 'session'] as const;
/** Where a secret lives: the OS keychain via safeStorage, a docker credential helper, or this session's memory. */
export type SecretKeep = (typeof SECRET_KEEPS)[number];

export interface RegistryEntry {
  readonly host: string;
  readonly username: string;
  readonly keep: SecretKeep;
  /** The docker credential helper's name when keep is 'helper'. */
  readonly helper: string | null;
  readonly tlsVerify: boolean;
  /** Whether a secret can be used now (a session secret is gone after a restart). */
  readonly secretAvailable: boolean;
  readonly updatedAt: number;
  /** The team cache (`docker://HOST/REPO[:TAG]` on this host) that builds for this registry read and write; null for none. */
  readonly teamCache: string | null;
}

export interface RegistryInput {
  readonly host: string;
  readonly username: string;
  readonly secret: string;
  readonly keep: SecretKeep;
  readonly helper?: string | undefined;
  readonly tlsVerify?: boolean | undefined;
}

/** The ways this process can keep a secret, for the Settings form. */
export interface SecretKeepChoices {
  readonly safeStorage: boolean;
  readonly helpers: readonly string[];
}
