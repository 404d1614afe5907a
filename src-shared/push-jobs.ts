/**
 * Blobs a push sends at the same time unless told otherwise (`--jobs`). Here, with
 * no Node imports, so the CLI can show it as the flag's default without loading the
 * push engine.
 */
export const DEFAULT_JOBS = 4;
