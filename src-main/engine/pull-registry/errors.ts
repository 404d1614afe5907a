/**
 * Errors in the form OCI distribution registries answer with
 * (`{"errors":[{"code","message","detail"}]}`), so docker, podman and skopeo
 * print the message to the person who pulled.
 */

/** The distribution spec's error codes this registry uses, with their HTTP status. */
export const ERROR_STATUS = {
  NAME_INVALID: 400,
  TAG_INVALID: 400,
  DIGEST_INVALID: 400,
  MANIFEST_UNKNOWN: 404,
  BLOB_UNKNOWN: 404,
  NAME_UNKNOWN: 404,
  UNSUPPORTED: 405,
  // Lamina's own bugs only: docker, podman and skopeo do not print the message of a 5xx answer.
  UNKNOWN: 500,
} as const;

export type DistributionErrorCode = keyof typeof ERROR_STATUS;

export class DistributionError extends Error {
  override readonly name = 'DistributionError';
  readonly status: number;
  constructor(
    readonly code: DistributionErrorCode,
    message: string,
    readonly detail?: unknown,
    status?: number,
  ) {
    super(message);
    this.status = status ?? ERROR_STATUS[code];
  }
}

export function errorBody(error: DistributionError): string {
  return JSON.stringify({ errors: [{ code: error.code, message: error.message, ...(error.detail === undefined ? {} : { detail: error.detail }) }] });
}
