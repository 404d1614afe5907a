/**
 * Which URLs and IPC senders belong to the app. Electron types only, no Electron
 * code, so the tests check these very functions with stand-in objects.
 */
import type { IpcMainInvokeEvent, WebContents } from 'electron';

/** Whether a URL belongs to the app (its protocol, or the dev server in development). */
export function isAppUrl(url: string, appOrigins: readonly string[]): boolean {
  try {
    // Not URL.origin: Node gives "null" as the origin of custom schemes like lamina://.
    const { protocol, host } = new URL(url);
    return appOrigins.includes(`${protocol}//${host}`);
  } catch {
    return false;
  }
}

/**
 * Whether an IPC request comes from the app itself: one of our windows, its main
 * frame (not an iframe), showing one of our URLs.
 */
export function isTrustedSender(
  event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>,
  ours: (contents: WebContents) => boolean,
  appOrigins: readonly string[],
): boolean {
  const frame = event.senderFrame;
  const main = event.sender.mainFrame;
  return (
    frame !== null &&
    ours(event.sender) &&
    frame.processId === main.processId &&
    frame.routingId === main.routingId &&
    isAppUrl(frame.url, appOrigins)
  );
}
