/**
 * `lamina push SRC DEST`: SRC is the name of an image in the store, `oci:DIR[:TAG]`,
 * `docker-archive:FILE` or `docker://…` (a copy between registries); DEST is
 * `docker://HOST[:PORT]/REPO[:TAG]`. Its definition: the push itself (push-run.ts)
 * is loaded when the command runs.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { DEFAULT_JOBS } from '../../../src-shared/push-jobs.js';
import { addRegistryOptions, type RegistryFlags } from './registry-flags.js';

export interface PushFlags extends RegistryFlags {
  jobs: number;
  digestfile?: string;
  json?: boolean;
}

function parseJobs(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 32) throw new InvalidArgumentError('--jobs is a whole number from 1 to 32');
  return n;
}

/** The flags `push` and `build --push` share. */
export function addPushOptions(command: Command): Command {
  return addRegistryOptions(command)
    .option('--digestfile <file>', 'write the pushed manifest\'s digest to this file (as podman push)')
    .addOption(new Option('--jobs <n>', 'blobs to send at the same time').argParser(parseJobs).default(DEFAULT_JOBS));
}

export function addPushCommand(program: Command): void {
  const command = program
    .command('push')
    .description('Push an image to a registry: SRC is a store image name, oci:DIR[:TAG], docker-archive:FILE or docker://HOST/REPO[:TAG]; DEST is docker://HOST[:PORT]/REPO[:TAG].')
    .argument('<src>', 'the image to push')
    .argument('<dest>', 'docker://HOST[:PORT]/REPOSITORY[:TAG]');
  addPushOptions(command)
    .option('--json', 'print {"digest","blobs":[{"digest","size","action"}]} on stdout')
    .action(async (src: string, dest: string, flags: PushFlags) => (await import('./push-run.js')).push(src, dest, flags));
}
