/**
 * Some flag values are checked by the engine's own rules while commander parses
 * them (an exposed port, an image location, a team cache reference, a CI ratio),
 * so a bad one is a usage error (exit 2) reported in the same order as any other.
 * Those rules live in engine modules that a command's definition does not load, so
 * `lamina build --help` starts at once: a module of checks is loaded the first time
 * a flag that needs it is given. Parsing stops there (ChecksNeeded), main.ts loads
 * the module and parses the arguments again from the start, with the checks in hand.
 */
export class ChecksNeeded extends Error {
  constructor(readonly load: () => Promise<void>) {
    super('a flag needs checks that are not loaded yet (main.ts loads them and parses again)');
  }
}

/** The checks `load` gives, once loaded; until then, calling it throws ChecksNeeded. */
export function lazyChecks<Checks>(load: () => Promise<Checks>): () => Checks {
  let loaded: Checks | undefined;
  return () => {
    if (loaded === undefined) {
      throw new ChecksNeeded(async () => {
        loaded = await load();
      });
    }
    return loaded;
  };
}
