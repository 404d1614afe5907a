/**
 * The compressions a layer can be written with. No Node imports: the IPC
 * contract, the CLI and the renderer list them from here.
 */

export const LAYER_COMPRESSIONS = ['gzip', 'zstd', 'none'] as const;

export type LayerCompression = (typeof LAYER_COMPRESSIONS)[number];

/** Every registry and runtime reads gzip. */
export const DEFAULT_COMPRESSION: LayerCompression = 'gzip';
