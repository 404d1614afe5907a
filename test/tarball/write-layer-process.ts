/**
 * Writes one gzip layer of the store paths given as arguments to the file named
 * first, in a process of its own (so LAMINA_COMPRESSION_THREADS sizes its
 * compression), and prints the LayerBlob as JSON. Run by multi-member-layer.test.ts.
 */
import { writeStorePathsLayer } from '../../src-main/engine/tarball/index.js';

const [dest, ...paths] = process.argv.slice(2);
process.stdout.write(JSON.stringify(await writeStorePathsLayer(paths, 'gzip', dest!)));
