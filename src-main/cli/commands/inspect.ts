/**
 * `lamina inspect REF`: the manifest, config and layers of an image in a registry
 * (`docker://…`), an OCI layout (`oci:DIR[:TAG]`) or a docker archive
 * (`docker-archive:FILE`). --json prints one object for machines.
 */
import { Option, type Command } from 'commander';
import { hostPlatform } from '../../engine/image/platform.js';
import { isMediumLocation, openLocation, REGISTRY_PREFIX } from '../../engine/locations.js';
import { openStore } from '../../engine/store/store.js';
import { LaminaError } from '../../../src-shared/errors.js';
import { table } from '../output.js';
import { CI_FAILED_EXIT, inspectReport, parseByteCount, parseFraction, type ReportFlags } from './inspect-report.js';
import { addRegistryOptions, cancelOnInterrupt, flagCredentials, parseDockerLocation, type RegistryFlags } from './registry-flags.js';
import { formatBytes } from '../../../src-shared/format-bytes.js';

type InspectFlags = RegistryFlags & Partial<ReportFlags> & { raw?: boolean; config?: boolean };

interface Inspected {
  digest: string;
  mediaType: string;
  config: Record<string, unknown>;
  layers: { digest: string; size: number; mediaType: string }[];
}

/** The bytes as stored, for --raw and --config: the top-level manifest (an index stays one) and the config blob. */
interface RawBytes {
  manifest: Buffer;
  config: Buffer;
}

/** Any location as the plain summary; a multi-platform index gives this machine's image, as skopeo inspect does. */
async function read(spec: string, flags: InspectFlags, signal: AbortSignal): Promise<{ image: Inspected; raw: RawBytes }> {
  const credentials = spec.startsWith(REGISTRY_PREFIX) ? flagCredentials(flags, parseDockerLocation(spec).registry) : undefined;
  // A bare name is an image in the store; only then is the store opened.
  const store = isMediumLocation(spec) ? undefined : await openStore();
  try {
    const opened = await openLocation(spec, {
      signal,
      platform: hostPlatform(),
      ...(store ? { store } : {}),
      ...(flags.tlsVerify !== undefined ? { tlsVerify: flags.tlsVerify } : {}),
      ...(flags.certDir !== undefined ? { certDir: flags.certDir } : {}),
      ...(credentials ? { credentials } : {}),
    });
    try {
      const { image } = opened;
      return {
        image: {
          digest: image.manifestDigest,
          mediaType: image.manifest.mediaType,
          config: JSON.parse(image.rawConfig.toString('utf8')) as Record<string, unknown>,
          layers: image.manifest.layers.map(({ digest, size, mediaType }) => ({ digest, size, mediaType })),
        },
        raw: { manifest: opened.rawIndex ?? image.rawManifest, config: image.rawConfig },
      };
    } finally {
      await opened.close();
    }
  } finally {
    store?.close();
  }
}

function show(spec: string, image: Inspected): string {
  const runtime = (image.config.config ?? {}) as Record<string, unknown>;
  const list = (value: unknown) => (Array.isArray(value) ? JSON.stringify(value) : '-');
  const lines = [
    `image:      ${spec}`,
    `digest:     ${image.digest}`,
    `media type: ${image.mediaType}`,
    `platform:   ${String(image.config.os ?? '?')}/${String(image.config.architecture ?? '?')}`,
    `created:    ${String(image.config.created ?? '-')}`,
    `entrypoint: ${list(runtime.Entrypoint)}`,
    `cmd:        ${list(runtime.Cmd)}`,
    `env:        ${Array.isArray(runtime.Env) ? runtime.Env.join(' ') : '-'}`,
    `size:       ${formatBytes(image.layers.reduce((sum, l) => sum + l.size, 0))} in ${image.layers.length} layers`,
    '',
  ];
  const rows = image.layers.map((l, i) => [String(i + 1), l.digest, formatBytes(l.size), l.mediaType]);
  return lines.join('\n') + table(['#', 'DIGEST', 'SIZE', 'MEDIA TYPE'], rows);
}

async function inspect(spec: string, flags: InspectFlags): Promise<void> {
  const { signal, dispose } = cancelOnInterrupt();
  try {
    const deep =
      flags.files ||
      flags.ci ||
      flags.platform ||
      flags.ciConfig !== undefined ||
      [flags.lowestEfficiency, flags.highestWastedBytes, flags.highestUserWastedPercent].some((rule) => rule !== undefined);
    if (deep) return await inspectReport(spec, { sort: 'name', ...flags }, signal);
    if ((flags.raw || flags.config) && flags.json) throw new LaminaError('--raw and --config print the stored JSON themselves; leave out --json', 'bad-flags');
    const { image, raw } = await read(spec, flags, signal);
    // As skopeo: --raw gives the bytes whose digest names them; --config alone a readable config.
    if (flags.config) process.stdout.write(flags.raw ? raw.config : JSON.stringify(JSON.parse(raw.config.toString('utf8')), null, 4) + '\n');
    else if (flags.raw) process.stdout.write(raw.manifest);
    else process.stdout.write(flags.json ? JSON.stringify(image) + '\n' : show(spec, image));
  } finally {
    dispose();
  }
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
    .action(inspect);
}
