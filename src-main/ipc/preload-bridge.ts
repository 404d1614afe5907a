/**
 * The contract over Electron IPC, page side: what the preload exposes through
 * contextBridge and nothing else. Only contract channels pass, and listeners get
 * the payload alone (never Electron's event object, which reaches into the
 * renderer process).
 */
import type { IpcRenderer, IpcRendererEvent } from 'electron';
import type { Bridge } from '../../src-shared/ipc/bridge.js';
import { isEventChannel, isRequestChannel, type EventChannel, type RequestChannel } from '../../src-shared/ipc/channels.js';
import type { EventPayload } from '../../src-shared/ipc/contract.js';

export function createPreloadBridge(ipcRenderer: Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>): Bridge {
  return {
    invoke(channel, input) {
      if (!isRequestChannel(channel)) {
        return Promise.resolve({ error: { message: `there is no request "${String(channel)}"`, code: 'unknown-channel' } });
      }
      return ipcRenderer.invoke(channel satisfies RequestChannel, input);
    },
    on<E extends EventChannel>(channel: E, listener: (payload: EventPayload<E>) => void) {
      if (!isEventChannel(channel)) throw new Error(`there is no event channel "${String(channel)}"`);
      const forward = (_event: IpcRendererEvent, payload: EventPayload<E>): void => listener(payload);
      ipcRenderer.on(channel, forward);
      return () => void ipcRenderer.removeListener(channel, forward);
    },
  };
}
