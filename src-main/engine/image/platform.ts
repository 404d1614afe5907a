/**
 * Platforms (OS/ARCH[/VARIANT]) in OCI's words: this machine's, the one an image's
 * config declares, the entry of a multi-platform index that fits one, and the
 * text form docker's --platform takes.
 */
import { LaminaError } from '../../../src-shared/errors.js';
import type { ImageConfig, Platform } from '../../../src-shared/image-model.js';
import { isManifestType } from './media-types.js';

/** The platform of this machine (Node's arch names differ from Go's). */
export function hostPlatform(): Platform {
  const arch: Record<string, string> = { x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };
  return { os: process.platform === 'win32' ? 'windows' : 'linux', architecture: arch[process.arch] ?? process.arch };
}

/** The entry of an index for `platform`: exact variant first, then any variant of the architecture. */
export function pickPlatform<Entry extends { readonly mediaType: string; readonly platform?: Platform | undefined }>(manifests: readonly Entry[], platform: Platform): Entry | undefined {
  const candidates = manifests.filter((m) => isManifestType(m.mediaType) && m.platform?.os === platform.os && m.platform.architecture === platform.architecture);
  return candidates.find((m) => platform.variant === undefined || m.platform?.variant === platform.variant) ?? candidates[0];
}

/** The platform an image's config declares. */
export function platformOf(config: ImageConfig): Platform {
  const variant = (config as { variant?: unknown }).variant;
  return { os: config.os, architecture: config.architecture, ...(typeof variant === 'string' && variant ? { variant } : {}) };
}

/** `OS/ARCH[/VARIANT]`, as docker's --platform takes it: `linux/arm64/v8`. */
export function parsePlatform(text: string): Platform {
  const match = /^([a-z0-9]+)\/([a-z0-9_]+)(?:\/([a-z0-9]+))?$/.exec(text);
  if (!match) throw new LaminaError(`"${text}" is not a platform; write OS/ARCH or OS/ARCH/VARIANT, e.g. linux/amd64 or linux/arm64/v8`, 'bad-platform');
  return { os: match[1]!, architecture: match[2]!, ...(match[3] ? { variant: match[3] } : {}) };
}

export function formatPlatform(platform: Platform): string {
  return `${platform.os}/${platform.architecture}${platform.variant ? `/${platform.variant}` : ''}`;
}
