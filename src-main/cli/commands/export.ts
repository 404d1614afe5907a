/**
 * `lamina export SRC DEST`: writes an image (a store image by name, or any
 * location Lamina reads) to `oci:DIR[:TAG]` or `docker-archive:FILE[:NAME:TAG]`,
 * what `build --out` does for a new build. The writing (export-run.ts) is loaded
 * when the command runs.
 */
import type { Command } from 'commander';

export function addExportCommand(program: Command): void {
  program
    .command('export')
    .description('Write an image of the local store (or oci:, docker-archive:, docker://) to oci:DIR[:TAG] or docker-archive:FILE[:NAME:TAG].')
    .argument('<name>', 'the image name, as `lamina images` lists it, or a location')
    .argument('<dest>', 'oci:DIR[:TAG] or docker-archive:FILE[:NAME:TAG]')
    .option('--json', 'print {"name","manifestDigest","destination"}')
    .action(async (name: string, dest: string, flags: { json?: boolean }) => (await import('./export-run.js')).exportImage(name, dest, flags));
}
