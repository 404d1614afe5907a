/**
 * `lamina inspect REF`: the manifest, config and layers of an image in a registry
 * (`docker://…`), an OCI layout (`oci:DIR[:TAG]`) or a docker archive
 * (`docker-archive:FILE`). --json prints one object for machines. The definition:
 * the reading (inspect-run.ts, inspect-report.ts) and the engine's check of a CI
 * ratio (inspect-checks.ts) are loaded when they are needed.
 */
import { Option, type Command } from 'commander';
import type { RuleSetting } from '../../engine/inspect/index.js';
import { lazyChecks } from '../parse-time-checks.js';
import { parseSize } from '../parse-size.js';
import { addRegistryOptions, type RegistryFlags } from './registry-flags.js';

export interface ReportFlags extends RegistryFlags {
  json?: boolean;
  files?: boolean;
  sort: 'name' | 'size';
  filter?: string;
  platform?: string;
  ci?: boolean;
  ciConfig?: string;
  lowestEfficiency?: RuleSetting;
  highestWastedBytes?: RuleSetting;
  highestUserWastedPercent?: RuleSetting;
}

/** Exit status when the image fails the CI rules: dive's, which is also that of any other error. */
export const CI_FAILED_EXIT = 1;

export type InspectFlags = RegistryFlags & Partial<ReportFlags> & { raw?: boolean; config?: boolean };

const checks = lazyChecks(() => import('./inspect-checks.js'));

/** A ratio (0.95 or 95%) or "disabled". */
const parseFraction = (value: string): RuleSetting => checks().parseFraction(value);

/** A size (20M is 20 MiB here, as everywhere in lamina) or "disabled". */
function parseByteCount(value: string): RuleSetting {
  return ['disabled', 'off', 'false'].includes(value.trim().toLowerCase()) ? 'disabled' : parseSize(value);
}

export function addInspectCommand(program: Command): void {
  const command = program
    .command('inspect')
    .description('Show the manifest, config and layers of docker://HOST/REPO[:TAG|@DIGEST], oci:DIR[:TAG], docker-archive:FILE or a store image by name.')
    .argument('<ref>', 'the image to inspect');
  addRegistryOptions(command)
    .option('--json', 'print {"digest","mediaType","config","layers":[{"digest","size","mediaType"}]} (with the deep report\'s fields too, with --files or --ci)')
    .option('--raw', 'print the manifest (or index) exactly as stored, as skopeo inspect --raw; with --config, the config blob')
    .option('--config', 'print the image config (indented JSON; the stored bytes with --raw)')
    .option('--files', "read every layer and list its files, marked A (added), M (modified) or D (removed); with store paths and wasted space")
    .addOption(new Option('--sort <order>', 'order of the --files listing').choices(['name', 'size']).default('name'))
    .option('--filter <text>', 'with --files: only paths containing this text')
    .option('--platform <os/arch>', 'for a multi-platform image: which one, e.g. linux/arm64')
    .option('--ci', `check the image against dive's CI rules (also on with --files when CI=true); exit ${CI_FAILED_EXIT} when it fails them, as dive`)
    .option('--ci-config <file>', "with --ci: dive's rules file (default: ./.dive-ci when it exists)")
    .addOption(new Option('--lowest-efficiency <fraction>', 'with --ci: fail below this efficiency (0.95 or 95%, or disabled; dive default 0.9)').argParser(parseFraction))
    .addOption(new Option('--highest-wasted-bytes <size>', 'with --ci: fail above this many wasted bytes (e.g. 20M, or disabled; the default)').argParser(parseByteCount))
    .addOption(
      new Option('--highest-user-wasted-percent <fraction>', 'with --ci: fail when wasted bytes pass this share of the bytes above the base layer (or disabled; dive default 0.1)').argParser(parseFraction),
    )
    .action(async (spec: string, flags: InspectFlags) => (await import('./inspect-run.js')).inspect(spec, flags));
}
