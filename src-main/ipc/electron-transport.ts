/**
 * The contract over Electron IPC, main side: one `ipcMain.handle` per request
 * channel, answered through `dispatch` only for senders that pass `isTrusted`
 * (the app's own window and frame). Takes Electron's objects as arguments, so it
 * carries no import of electron and the tests can hand it stand-ins.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { REQUEST_CHANNELS } from '../../src-shared/ipc/channels.js';
import type { ApiError, Handlers } from '../../src-shared/ipc/contract.js';
import { dispatch } from './dispatch.js';
import type { EventSink } from './event-feed.js';

export interface ElectronTransportOptions {
  readonly ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  readonly handlers: Handlers;
  /** Whether a request comes from the app's own page (not a foreign frame or URL). */
  readonly isTrusted: (event: IpcMainInvokeEvent) => boolean;
}

const UNTRUSTED: ApiError = { message: 'this page is not allowed to use the Lamina API', code: 'untrusted-sender' };

/** Registers every request channel; returns a function that removes them again. */
export function serveOverElectronIpc(options: ElectronTransportOptions): () => void {
  for (const channel of REQUEST_CHANNELS) {
    options.ipcMain.handle(channel, (event, input: unknown) =>
      options.isTrusted(event) ? dispatch(options.handlers, channel, input) : { error: UNTRUSTED },
    );
  }
  return () => REQUEST_CHANNELS.forEach((channel) => options.ipcMain.removeHandler(channel));
}

/** Sends events to the app's windows that are still open. */
export function electronEventSink(targets: () => readonly Pick<WebContents, 'send' | 'isDestroyed'>[]): EventSink {
  return (channel, payload) => {
    for (const contents of targets()) if (!contents.isDestroyed()) contents.send(channel, payload);
  };
}
