/** Deterministic layer blobs: what the image pipeline calls to turn store paths into layers. */
export { writeCustomisationLayer, planCustomisation, type CustomisationPlan } from './customisation.js';
export { LAYER_FORMAT_VERSION } from './format.js';
export { writeStorePathsLayer } from './store-layer.js';
export { type LayerCompression, type LayerBlob, type LayerWriteOptions, type LinkConflict } from './types.js';
export { BlobFile, type WrittenBlob } from './blob-file.js';
