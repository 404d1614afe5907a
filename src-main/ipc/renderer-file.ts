/**
 * The built renderer's file that a URL path names, for both ways the app is
 * served (Electron's lamina://app/ protocol and `lamina serve`): `/` is
 * index.html, escapes are decoded, and nothing outside the folder is ever named.
 */
import { join, normalize, sep } from 'node:path';

/** The file under `rendererDir` for `pathname`, or null for a malformed escape or a path that would leave the folder. */
export function rendererFile(rendererDir: string, pathname: string): string | null {
  let file: string;
  try {
    file = join(rendererDir, normalize(decodeURIComponent(pathname === '/' ? '/index.html' : pathname)));
  } catch {
    return null;
  }
  return file.startsWith(rendererDir + sep) ? file : null;
}
