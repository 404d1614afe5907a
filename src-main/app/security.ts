/**
 * The Electron security checklist, in one place: every web contents may only show
 * the app's own pages; no navigation away, no new windows, no webviews, one
 * permission (writing the clipboard, for "Copy digest") and only for the app's
 * pages, no requests to anything but the app and its dev server.
 *
 * Electron types only: index.ts passes in `app`, the session and `shell`, so the
 * tests drive these very functions with stand-in objects.
 */
import type { Event, HandlerDetails, Session, WebContents } from 'electron';
import { isAppUrl } from './trusted-sender.js';

/** The only permission a page may have: what `navigator.clipboard.writeText` asks for. */
const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

/** Whether `permission` may be granted to a page at `url`. */
export function permissionAllowed(permission: string, url: string, appOrigins: readonly string[]): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && isAppUrl(url, appOrigins);
}

/** Whether the app's session may load `url`: its own pages, devtools and inline data only. */
export function requestAllowed(url: string, appOrigins: readonly string[]): boolean {
  return isAppUrl(url, appOrigins) || url.startsWith('devtools://') || url.startsWith('data:');
}

type Contents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

export function hardenApp(
  app: { on(event: 'web-contents-created', listener: (event: Event, contents: Contents) => void): unknown },
  appOrigins: readonly string[],
  openExternal: (url: string) => Promise<void>,
): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url, appOrigins)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url, appOrigins)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }: HandlerDetails) => {
      // Links to the web (docs, a registry) open in the user's browser, never in the app.
      if (url.startsWith('https://')) void openExternal(url);
      return { action: 'deny' };
    });
  });
}

export function hardenSession(ses: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'webRequest'>, appOrigins: readonly string[]): void {
  ses.setPermissionRequestHandler((_contents, permission, callback, details) => callback(permissionAllowed(permission, details.requestingUrl, appOrigins)));
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin) => permissionAllowed(permission, requestingOrigin, appOrigins));
  ses.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !requestAllowed(details.url, appOrigins) }));
}
