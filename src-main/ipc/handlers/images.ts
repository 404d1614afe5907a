import type { ImageSessions } from '../../engine/inspect/image-sessions.js';
import type { StoreImageEntry } from '../../../src-shared/images.js';
import { formatPlatform, listPlatforms, listRepositories, listTags, parsePlatform, type LocationOptions } from '../../engine/inspect/index.js';
import type { RegistrySettings } from '../../engine/logins/registry-settings.js';
import { parseReference } from '../../../src-shared/reference.js';
import type { Store } from '../../engine/store/store.js';
import type { Handlers } from '../../../src-shared/ipc/contract.js';

type ImagesChannel =
  | 'images:store'
  | 'images:catalog'
  | 'images:tags'
  | 'images:platforms'
  | 'images:open'
  | 'images:cancel-open'
  | 'images:tree'
  | 'images:treemap'
  | 'images:compare'
  | 'images:close';

/** Registry access for browsing: the credentials set up in Settings first, else docker's and podman's auth files. */
async function access(registries: RegistrySettings, registry: string, tlsVerify: boolean): Promise<LocationOptions> {
  const credentials = await registries.credentials(registry).catch(() => undefined);
  return { tlsVerify, ...(credentials ? { credentials } : {}) };
}

function registryOf(ref: string): string | undefined {
  return ref.startsWith('docker://') ? parseReference(ref.slice('docker://'.length)).registry : undefined;
}

/** The Images views: open images from anywhere (with progress and a cancel), then ask for their parts. */
export function imagesHandlers(sessions: ImageSessions, dataDir: string, store: () => Promise<Store>, registries: RegistrySettings): Pick<Handlers, ImagesChannel> {
  const sourceOptions = async (ref: string, tlsVerify: boolean): Promise<LocationOptions> => {
    const registry = registryOf(ref);
    return registry ? access(registries, registry, tlsVerify) : {};
  };
  return {
    'images:store': async (): Promise<StoreImageEntry[]> =>
      (await store()).images.list().map((image) => ({
        name: image.name,
        manifestDigest: image.manifestDigest,
        size: image.size,
        createdAt: image.createdAt,
        ref: `oci:${dataDir}:${image.name}`,
      })),
    'images:catalog': async ({ registry, tlsVerify }) => listRepositories(registry, await access(registries, registry, tlsVerify)),
    'images:tags': async ({ repository, tlsVerify }) => listTags(repository, await access(registries, parseReference(repository.replace(/^docker:\/\//, '')).registry, tlsVerify)),
    'images:platforms': async ({ ref, tlsVerify }) => (await listPlatforms(ref, await sourceOptions(ref, tlsVerify))).map(formatPlatform),
    // Not awaited before the open starts: it is then known by its id while the registry login is looked up.
    'images:open': ({ ref, platform, tlsVerify, openId }) =>
      sessions.open(
        ref,
        sourceOptions(ref, tlsVerify).then((options) => ({ ...options, ...(platform ? { platform: parsePlatform(platform) } : {}) })),
        openId,
      ),
    'images:cancel-open': ({ openId }) => ({ cancelled: sessions.cancelOpen(openId) }),
    'images:tree': ({ id, layer, sort, filter }) => sessions.tree(id, layer, { sort, ...(filter ? { filter } : {}) }),
    'images:treemap': ({ id }) => sessions.treemap(id),
    'images:compare': ({ a, b }) => sessions.compare(a, b),
    'images:close': ({ id }) => ({ closed: sessions.close(id) }),
  };
}
