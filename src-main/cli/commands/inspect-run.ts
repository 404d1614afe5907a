/**
 * What `lamina inspect REF` (inspect.ts) does when it runs: reads the manifest,
 * config and layers of the image and prints them; the deep report (--files, --ci,
 * --platform) is inspect-report.ts.
 */
import { hostPlatform } from '../../engine/image/platform.js';
import { isMediumLocation, openLocation, REGISTRY_PREFIX } from '../../engine/locations.js';
import { openStore } from '../../engine/store/store.js';
import { LaminaError } from '../../../src-shared/errors.js';
import { table } from '../output.js';
import type { InspectFlags } from './inspect.js';
import { inspectReport } from './inspect-report.js';
import { cancelOnInterrupt, flagCredentials, parseDockerLocation } from './registry-access.js';
import { formatBytes } from '../../../src-shared/format-bytes.js';

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

export async function inspect(spec: string, flags: InspectFlags): Promise<void> {
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
