import { LaminaError } from '../../../src-shared/errors.js';

const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ECONNABORTED']);

function codeOf(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; e && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export function isAbort(err: unknown): boolean {
  return (err as { name?: string })?.name === 'AbortError' || codeOf(err) === 'UND_ERR_ABORTED' || codeOf(err) === 'ABORT_ERR';
}

/** A connection that broke mid-way: worth another try, unlike a host that does not exist. */
export function isConnectionReset(err: unknown): boolean {
  const code = codeOf(err);
  return code !== undefined && RESET_CODES.has(code);
}

export function isTlsError(err: unknown): boolean {
  const code = codeOf(err) ?? '';
  return code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS') || code === 'EPROTO' || /CERT|SELF_SIGNED|UNABLE_TO/.test(code);
}

/** The server speaks TLS but its certificate is not trusted: plain HTTP is no way out. */
export function isCertificateError(err: unknown): boolean {
  const code = codeOf(err) ?? '';
  return /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/.test(code);
}

/** One line for a network failure that no retry fixed. */
export function networkError(err: unknown, host: string): LaminaError {
  if (err instanceof LaminaError) return err;
  if (isAbort(err)) return new LaminaError('cancelled', 'cancelled', { cause: err });
  const code = codeOf(err) ?? '';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') {
    return new LaminaError(`cannot find the registry host ${host}; check its name`, 'unknown-host', { cause: err });
  }
  if (code === 'ECONNREFUSED') {
    return new LaminaError(`nothing answers at ${host} (connection refused); check the host, the port and that the registry runs`, 'connection-refused', { cause: err });
  }
  if (isTlsError(err)) {
    return new LaminaError(`a secure connection to ${host} failed (${code}); trust its CA with a ca.crt in /etc/containers/certs.d/${host}/ (or --cert-dir DIR), or pass --tls-verify=false`, 'tls', { cause: err });
  }
  if (isConnectionReset(err)) {
    return new LaminaError(`the connection to ${host} kept breaking (${code}); check the network and try again`, 'connection-reset', { cause: err });
  }
  return new LaminaError(`talking to ${host} failed: ${(err as Error)?.message?.split('\n')[0] ?? String(err)}`, 'network', { cause: err });
}

/** A LaminaError from networkError() for a broken connection: the caller may ask where things stand and go on. */
export function isBrokenConnection(err: unknown): boolean {
  return err instanceof LaminaError && err.code === 'connection-reset';
}
