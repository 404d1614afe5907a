/**
 * Package sources can carry credentials (`git+https://user:token@host/repo`).
 * Nix needs them; nothing a person reads or Lamina stores should hold them, so
 * every source and every Nix line shown or kept goes through here first.
 */

/** What replaces a URL's `user:password@` or `user@`. */
export const REDACTED_USERINFO = '***';

// scheme://userinfo@ — userinfo runs to the first `@` before any `/`, space or quote.
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@'"`]+@/gi;

/** `text` with the user name and password of every URL in it replaced by ***. */
export function redactCredentials(text: string): string {
  return text.replace(USERINFO, `$1${REDACTED_USERINFO}@`);
}

/** Whether `text` holds a URL whose credentials were redacted (so Nix cannot use it as it is). */
export function isRedacted(text: string): boolean {
  return text.includes(`://${REDACTED_USERINFO}@`);
}
