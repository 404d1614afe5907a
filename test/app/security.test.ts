/**
 * The Electron security checklist's handlers, driven through the functions the
 * main process installs, with stand-ins for Electron's app, web contents and
 * session (Electron's binary cannot run on the build machines).
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { appFileFor } from '../../src-main/app/app-file.js';
import { hardenApp, hardenSession } from '../../src-main/app/security.js';

const ORIGINS = ['lamina://app'];

/** A web contents stand-in: emits the events Electron would and records the window-open handler. */
class FakeContents extends EventEmitter {
  openHandler: ((details: { url: string }) => { action: string }) | undefined;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.openHandler = handler;
  }
  /** Emits `name` with a cancellable event; true when a handler prevented it. */
  attempt(name: string, url?: string): boolean {
    let prevented = false;
    this.emit(name, { preventDefault: () => (prevented = true) }, url);
    return prevented;
  }
}

function hardenedContents(): { contents: FakeContents; opened: string[] } {
  const app = new EventEmitter();
  const opened: string[] = [];
  hardenApp(app as never, ORIGINS, async (url) => void opened.push(url));
  const contents = new FakeContents();
  app.emit('web-contents-created', {}, contents);
  return { contents, opened };
}

type RequestHandler = (contents: unknown, permission: string, callback: (granted: boolean) => void, details: { requestingUrl: string }) => void;
type CheckHandler = (contents: unknown, permission: string, origin: string) => boolean;
type BeforeRequest = (details: { url: string }, callback: (response: { cancel: boolean }) => void) => void;

function hardenedSession(): { request: (permission: string, url: string) => boolean; check: (permission: string, origin: string) => boolean; load: (url: string) => boolean } {
  let onRequest: RequestHandler | undefined;
  let onCheck: CheckHandler | undefined;
  let onBefore: BeforeRequest | undefined;
  const ses = {
    setPermissionRequestHandler: (h: RequestHandler) => (onRequest = h),
    setPermissionCheckHandler: (h: CheckHandler) => (onCheck = h),
    webRequest: { onBeforeRequest: (h: BeforeRequest) => (onBefore = h) },
  };
  hardenSession(ses as never, ORIGINS);
  return {
    request: (permission, url) => {
      let granted: boolean | undefined;
      onRequest!(null, permission, (g) => (granted = g), { requestingUrl: url });
      return granted!;
    },
    check: (permission, origin) => onCheck!(null, permission, origin),
    load: (url) => {
      let cancel: boolean | undefined;
      onBefore!({ url }, (r) => (cancel = r.cancel));
      return !cancel!;
    },
  };
}

describe('Electron hardening', () => {
  it('keeps every window on the app: no navigation or redirect away, no webviews', () => {
    const { contents } = hardenedContents();
    expect(contents.attempt('will-navigate', 'lamina://app/index.html#/images')).toBe(false);
    expect(contents.attempt('will-navigate', 'https://example.com/')).toBe(true);
    expect(contents.attempt('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(contents.attempt('will-navigate', 'lamina://other/index.html')).toBe(true);
    expect(contents.attempt('will-redirect', 'http://127.0.0.1:5000/')).toBe(true);
    expect(contents.attempt('will-attach-webview')).toBe(true);
  });

  it('opens no new windows; https links go to the browser, anything else nowhere', () => {
    const { contents, opened } = hardenedContents();
    expect(contents.openHandler!({ url: 'https://nixos.org/manual' })).toEqual({ action: 'deny' });
    expect(contents.openHandler!({ url: 'lamina://app/index.html' })).toEqual({ action: 'deny' });
    expect(contents.openHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(contents.openHandler!({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://nixos.org/manual']);
  });

  it('grants the app its clipboard write ("Copy digest") and nothing else, to nobody else', () => {
    const ses = hardenedSession();
    expect(ses.request('clipboard-sanitized-write', 'lamina://app/index.html')).toBe(true);
    expect(ses.check('clipboard-sanitized-write', 'lamina://app')).toBe(true);
    expect(ses.request('clipboard-sanitized-write', 'https://evil.example/')).toBe(false);
    expect(ses.check('clipboard-sanitized-write', 'https://evil.example')).toBe(false);
    for (const permission of ['clipboard-read', 'media', 'notifications', 'geolocation', 'openExternal', 'fileSystem']) {
      expect(ses.request(permission, 'lamina://app/index.html')).toBe(false);
      expect(ses.check(permission, 'lamina://app')).toBe(false);
    }
  });

  it('loads only the app, devtools and inline data', () => {
    const ses = hardenedSession();
    expect(ses.load('lamina://app/assets/index.js')).toBe(true);
    expect(ses.load('data:image/png;base64,AAAA')).toBe(true);
    expect(ses.load('devtools://devtools/bundled/inspector.html')).toBe(true);
    expect(ses.load('https://cdn.example/x.js')).toBe(false);
    expect(ses.load('http://127.0.0.1:5000/v2/')).toBe(false);
    expect(ses.load('file:///etc/passwd')).toBe(false);
  });
});

describe('the lamina://app/ protocol', () => {
  const dir = '/opt/lamina/out/renderer';
  it('serves files of the renderer folder and nothing outside it', () => {
    expect(appFileFor('lamina://app/', dir)).toBe(`${dir}/index.html`);
    expect(appFileFor('lamina://app/assets/index-abc.js', dir)).toBe(`${dir}/assets/index-abc.js`);
    expect(appFileFor('lamina://app/assets/a%20b.css', dir)).toBe(`${dir}/assets/a b.css`);
    // Dot segments, raw or escaped, can climb no higher than the folder itself.
    for (const url of [
      'lamina://app/../../etc/passwd',
      'lamina://app/%2e%2e/%2e%2e/etc/passwd',
      'lamina://app/assets/..%2f..%2f..%2fetc%2fpasswd',
      'lamina://app/%2e%2e%2f%2e%2e%2fetc/passwd',
      'lamina://app/..%5c..%5cetc%5cpasswd',
    ]) {
      expect(appFileFor(url, dir), url).toMatch(new RegExp(`^${dir}/`));
    }
    for (const url of ['lamina://app/%E0%A4%A', 'lamina://other/index.html', 'file:///etc/passwd', 'https://app/index.html']) {
      expect(appFileFor(url, dir), url).toBeNull();
    }
  });
});
