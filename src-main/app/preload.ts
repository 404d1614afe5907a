/**
 * The preload: exposes the contract's bridge to the page and nothing else. It runs
 * sandboxed (CommonJS, only `electron`'s renderer modules), so it stays this small.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { BRIDGE_GLOBAL } from '../../src-shared/ipc/bridge.js';
import { createPreloadBridge } from '../ipc/preload-bridge.js';

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, createPreloadBridge(ipcRenderer));
