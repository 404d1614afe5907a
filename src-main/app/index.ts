/**
 * The Electron main process: one window on the app's own protocol, the engine
 * behind the IPC contract, the data dir shared with the CLI.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, session, shell, type WebContents } from 'electron';
import { join } from 'node:path';
import { errorLine } from '../../src-shared/errors.js';
import { laminaHome } from '../engine/home.js';
import { electronEventSink, serveOverElectronIpc } from '../ipc/electron-transport.js';
import { openEngineServices, type EngineServices } from '../ipc/engine-services.js';
import { feedEvents, feedImageOpens } from '../ipc/event-feed.js';
import { APP_ORIGIN } from './app-file.js';
import { registerAppScheme, serveAppProtocol } from './app-protocol.js';
import { appMenu } from './menu.js';
import { safeStorageSealer } from './secret-sealer.js';
import { hardenApp, hardenSession } from './security.js';
import { electronSqliteBinding } from './sqlite-binding.js';
import { isTrustedSender } from './trusted-sender.js';
import { createMainWindow } from './window.js';

// electron-vite sets this when `npm run dev` serves the renderer with hot reload.
const devServer = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
const appOrigins = devServer ? [APP_ORIGIN, new URL(devServer).origin, new URL(devServer).origin.replace(/^http/, 'ws')] : [APP_ORIGIN];
const rendererDir = join(import.meta.dirname, '..', 'renderer');
const preload = join(import.meta.dirname, '..', 'preload', 'index.cjs');
// Packaged: the resources folder next to app.asar; from a checkout: resources/ in it.
const resourcesRoot = app.isPackaged ? process.resourcesPath : join(import.meta.dirname, '..', '..', 'resources');

// One data dir for the app and the CLI, so they share one cache and one job history.
const dataDir = laminaHome();
app.setPath('userData', dataDir);
// Chromium's own caches go one folder down, apart from the blobs and the database.
app.setPath('sessionData', join(dataDir, 'electron'));
registerAppScheme();
hardenApp(app, appOrigins, (url) => shell.openExternal(url));

let services: EngineServices | undefined;
let mainWindow: BrowserWindow | undefined;

function showWindow(): void {
  if (mainWindow && !mainWindow.isDestroyed()) {
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
    return;
  }
  mainWindow = createMainWindow(devServer ?? `${APP_ORIGIN}/index.html`, preload, join(resourcesRoot, 'icon.png'));
}

async function start(): Promise<void> {
  services = openEngineServices({ home: dataDir, nativeBinding: electronSqliteBinding(resourcesRoot, process.versions.electron), secretSealer: safeStorageSealer() });
  serveAppProtocol(rendererDir);
  hardenSession(session.defaultSession, appOrigins);
  const ours = (contents: WebContents): boolean => mainWindow !== undefined && !mainWindow.isDestroyed() && contents === mainWindow.webContents;
  serveOverElectronIpc({ ipcMain, handlers: services.handlers, isTrusted: (event) => isTrustedSender(event, ours, appOrigins) });
  const windows = electronEventSink(() => BrowserWindow.getAllWindows().map((win) => win.webContents));
  feedEvents(services.runner, windows);
  feedImageOpens(services.imageSessions, windows);
  Menu.setApplicationMenu(appMenu(dataDir, devServer !== undefined));
  showWindow();
}

if (!app.requestSingleInstanceLock()) {
  // A second launch focuses the first window: two processes would run jobs twice.
  app.quit();
} else {
  app.on('second-instance', showWindow);
  app.on('activate', showWindow);
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', (event) => {
    if (!services) return;
    // Running jobs end as interrupted and the database closes cleanly before the process goes.
    event.preventDefault();
    const closing = services;
    services = undefined;
    void closing.close().finally(() => app.quit());
  });
  app.whenReady().then(start).catch(fail);
}

function fail(err: unknown): void {
  dialog.showErrorBox('Lamina cannot start', errorLine(err));
  app.exit(1);
}
