/**
 * The contract over the Electron adapter. Electron's binary cannot run on these
 * machines (it cannot be downloaded), so its objects are stood in for: ipcMain
 * and ipcRenderer become a pair of in-memory channels that copy every message
 * with structuredClone as Electron's IPC does. Everything else is the real code:
 * serveOverElectronIpc, the sender check, the preload's bridge, the engine.
 */
import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isTrustedSender } from '../../src-main/app/trusted-sender.js';
import { electronEventSink, serveOverElectronIpc } from '../../src-main/ipc/electron-transport.js';
import { openEngineServices } from '../../src-main/ipc/engine-services.js';
import { feedEvents, feedImageOpens } from '../../src-main/ipc/event-feed.js';
import { createPreloadBridge } from '../../src-main/ipc/preload-bridge.js';
import { contractSuite } from './contract-suite.js';

type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown;
type Listener = (event: unknown, ...args: unknown[]) => void;

const APP_ORIGINS = ['lamina://app'];

/** A window's web contents as far as the adapter looks at it. */
function fakeContents(url: string, deliver: (channel: string, payload: unknown) => void) {
  const mainFrame = { processId: 4, routingId: 1, url };
  return {
    mainFrame,
    isDestroyed: () => false,
    send: (channel: string, payload: unknown) => deliver(channel, structuredClone(payload)),
  };
}

function fakeElectron(url = 'lamina://app/index.html') {
  const handlers = new Map<string, Handler>();
  const listeners = new Map<string, Set<Listener>>();
  const contents = fakeContents(url, (channel, payload) => listeners.get(channel)?.forEach((l) => l({ sender: 'ipc-renderer' }, payload)));
  const ipcMain = {
    handle: (channel: string, handler: Handler) => void handlers.set(channel, handler),
    removeHandler: (channel: string) => void handlers.delete(channel),
  };
  /** A request from a given frame of the window (its main frame unless told otherwise). */
  const invokeFrom = (frame: { processId: number; routingId: number; url: string }) => async (channel: string, input: unknown) => {
    const handler = handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    const event = { sender: contents, senderFrame: frame } as unknown as IpcMainInvokeEvent;
    return structuredClone(await handler(event, structuredClone(input)));
  };
  const ipcRenderer = {
    invoke: invokeFrom(contents.mainFrame),
    on(channel: string, listener: Listener) {
      listeners.set(channel, (listeners.get(channel) ?? new Set()).add(listener));
      return this;
    },
    removeListener(channel: string, listener: Listener) {
      listeners.get(channel)?.delete(listener);
      return this;
    },
  };
  return { ipcMain, ipcRenderer, contents, invokeFrom, handlers };
}

function serveEngine(electron: ReturnType<typeof fakeElectron>, home: string) {
  const services = openEngineServices({ home });
  const ours = (c: WebContents): boolean => (c as unknown) === electron.contents;
  const stopIpc = serveOverElectronIpc({
    ipcMain: electron.ipcMain as never,
    handlers: services.handlers,
    isTrusted: (event) => isTrustedSender(event, ours, APP_ORIGINS),
  });
  const windows = electronEventSink(() => [electron.contents as unknown as WebContents]);
  const stopFeed = feedEvents(services.runner, windows);
  const stopOpensFeed = feedImageOpens(services.imageSessions, windows);
  return {
    close: async () => {
      stopFeed();
      stopOpensFeed();
      stopIpc();
      await services.close();
    },
  };
}

contractSuite('Electron IPC (stand-in Electron objects)', async (home) => {
  const electron = fakeElectron();
  const engine = serveEngine(electron, home);
  return { bridge: createPreloadBridge(electron.ipcRenderer as never), close: engine.close };
});

describe('Electron IPC sender check', () => {
  it('answers only the main frame of our window showing our page', async () => {
    const home = mkdtempSync(join(tmpdir(), 'lamina-home-'));
    const electron = fakeElectron();
    const engine = serveEngine(electron, home);
    const untrusted = { message: 'this page is not allowed to use the Lamina API', code: 'untrusted-sender' };

    const iframe = electron.invokeFrom({ processId: 4, routingId: 7, url: 'lamina://app/index.html' });
    expect(await iframe('app:info', {})).toEqual({ error: untrusted });
    const navigatedAway = electron.invokeFrom({ processId: 4, routingId: 1, url: 'https://example.com/' });
    expect(await navigatedAway('app:info', {})).toEqual({ error: untrusted });
    expect(await electron.invokeFrom(electron.contents.mainFrame)('app:info', {})).toMatchObject({ result: { dataDir: home } });
    await engine.close();
    expect(electron.handlers.size).toBe(0);
  });

  it('lets the page listen to contract events only, and never hands it Electron event objects', () => {
    const electron = fakeElectron();
    const bridge = createPreloadBridge(electron.ipcRenderer as never);
    expect(() => bridge.on('ipc:internal' as never, () => undefined)).toThrow(/no event channel "ipc:internal"/);
    const got: unknown[][] = [];
    const stop = bridge.on('job:log', (...args: unknown[]) => got.push(args));
    electron.contents.send('job:log', { jobId: 1, lines: [] });
    stop();
    electron.contents.send('job:log', { jobId: 2, lines: [] });
    expect(got).toEqual([[{ jobId: 1, lines: [] }]]);
  });
});
