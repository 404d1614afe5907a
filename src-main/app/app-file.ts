/**
 * The app's own URLs (`lamina://app/…`) and the files they name. No Electron code,
 * so the tests check the path rules directly.
 */
import { rendererFile } from '../ipc/renderer-file.js';

export const APP_SCHEME = 'lamina';
export const APP_ORIGIN = `${APP_SCHEME}://app`;

/**
 * The file under `rendererDir` that a `lamina://app/…` URL names, or null for any
 * other host, a malformed escape or a path that would leave the folder.
 */
export function appFileFor(requestUrl: string, rendererDir: string): string | null {
  if (!URL.canParse(requestUrl)) return null;
  const url = new URL(requestUrl);
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== 'app') return null;
  return rendererFile(rendererDir, url.pathname);
}
