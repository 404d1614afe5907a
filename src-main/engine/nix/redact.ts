/**
 * Package sources can carry credentials (`git+https://user:token@host/repo`).
 * Nix needs them; nothing a person reads or Lamina stores should hold them, so
 * every source and every Nix line shown or kept goes through here first.
 */

/** What replaces a URL's `user:password@` or `user@`. */
export const REDACTED_USERINFO = '***';

// scheme://userinfo@ — userinfo runs to the first `@` before any `/`, space or quote.
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@'"`]+@/gi;

// ?access_token=… and the like (GitLab's private_token, tarball URLs signed with a token).
const SECRET_NAMES = 'access_token|private_token|token|password|passwd|secret|api_key|apikey';
const SECRET_PARAM = new RegExp(`([?&](?:${SECRET_NAMES})=)[^&#\\s'"\`]+`, 'gi');
const REDACTED_PARAM = new RegExp(`[?&](?:${SECRET_NAMES})=\\*\\*\\*(?![^&#\\s'"\`])`, 'i');

/** `text` with the user name and password of every URL in it, and secret query values, replaced by ***. */
export function redactCredentials(text: string): string {
  return text.replace(USERINFO, `$1${REDACTED_USERINFO}@`).replace(SECRET_PARAM, `$1${REDACTED_USERINFO}`);
}

/** Whether `text` holds a URL whose credentials were redacted (so Nix cannot use it as it is). */
export function isRedacted(text: string): boolean {
  return text.includes(`://${REDACTED_USERINFO}@`) || REDACTED_PARAM.test(text);
}
