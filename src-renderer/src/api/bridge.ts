import { BRIDGE_GLOBAL, type Bridge } from '../../../src-shared/ipc/bridge';
import { createSocketBridge } from '../../../src-shared/ipc/ws-client';
import { API_PATH } from '../../../src-shared/ipc/ws-protocol';

/**
 * The preload's bridge when Electron loaded this page; otherwise the page came
 * from `lamina serve`, and the API socket is on the same host (the server's
 * cookie carries the token, so the page never sees it).
 */
export function pickBridge(onConnectionLost: () => void): Bridge {
  const fromPreload = (window as unknown as Record<string, Bridge | undefined>)[BRIDGE_GLOBAL];
  if (fromPreload) return fromPreload;
  return createSocketBridge(new WebSocket(`ws://${location.host}${API_PATH}`), onConnectionLost);
}
