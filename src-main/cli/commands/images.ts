/** `lamina images`: the images in the local store, by name. The listing (images-run.ts) is loaded when it runs. */
import type { Command } from 'commander';

export function addImagesCommand(program: Command): void {
  program
    .command('images')
    .description('List the images in the local store (readable as oci:<data dir>:<name>).')
    .option('--json', 'print the list as JSON')
    .action(async (flags: { json?: boolean }) => (await import('./images-run.js')).listImages(flags));
}
