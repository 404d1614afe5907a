import type { PullRegistryService } from '../../engine/pull-registry/service.js';
import type { Handlers } from '../../../src-shared/ipc/contract.js';

type PullRegistryChannel = 'pull-registry:status' | 'pull-registry:start' | 'pull-registry:stop' | 'pull-registry:set-source';

/** The Settings switch of the pull registry: it runs in the engine's process, loopback only. */
export function pullRegistryHandlers(registry: PullRegistryService): Pick<Handlers, PullRegistryChannel> {
  return {
    'pull-registry:status': () => registry.status(),
    'pull-registry:start': ({ port }) => registry.start({ host: '127.0.0.1', port }),
    'pull-registry:stop': () => registry.stop(),
    'pull-registry:set-source': ({ source }) => registry.setSource(source),
  };
}
