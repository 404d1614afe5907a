/**
 * The Electron security checklist, in one place: every web contents may only show
 * the app's own pages; no navigation away, no new windows, no webviews, no
 * permissions, no requests to anything but the app and its dev server.
 */
import { session, shell, type App } from 'electron';
import { isAppUrl } from './trusted-sender.js';

export function hardenApp(app: App, appOrigins: readonly string[]): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url, appOrigins)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url, appOrigins)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      // Links to the web (docs, a registry) open in the user's browser, never in the app.
      if (url.startsWith('https://')) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
}

/** No permission (camera, notifications, …) is ever granted, and no remote content loads. */
export function hardenSession(appOrigins: readonly string[]): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isAppUrl(details.url, appOrigins) || details.url.startsWith('devtools://') || details.url.startsWith('data:');
    callback({ cancel: !allowed });
  });
}
