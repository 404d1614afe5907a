/**
 * How many layers an image may have, counting the customisation layer (the /bin,
 * /lib... links). No Node imports: the IPC contract, the CLI and the renderer
 * take the limits and the default from here.
 */

/** The smallest budget: one layer of store paths plus the customisation layer. */
export const MIN_MAX_LAYERS = 2;

/** Docker refuses images of more than 127 layers (and some registries do too). */
export const MAX_MAX_LAYERS = 127;

/** Nixery's default budget: leaves room under Docker's limit for images built on top. */
export const DEFAULT_MAX_LAYERS = 100;
