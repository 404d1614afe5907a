import { LaminaError } from '../../../src-shared/errors.js';
import { redactUserinfo } from '../../../src-shared/reference.js';

/** The error body of the distribution spec: `{"errors":[{"code","message","detail"}]}`. */
export interface RegistryErrorBody {
  readonly errors?: readonly { code?: string; message?: string }[];
}

export function errorCodes(body: unknown): string[] {
  const errors = (body as RegistryErrorBody | undefined)?.errors;
  return Array.isArray(errors) ? errors.map((e) => String(e?.code ?? '')) : [];
}

/** The registry's own words, cut to one short line (they never hold secrets, but may be long). */
function registryMessage(body: unknown): string {
  const errors = (body as RegistryErrorBody | undefined)?.errors;
  const first = Array.isArray(errors) ? errors[0] : undefined;
  const text = first?.message ?? first?.code ?? '';
  return String(text).split('\n')[0]!.slice(0, 160);
}

export interface FailedRequest {
  readonly status: number;
  readonly body: unknown;
  readonly registry: string;
  readonly repository?: string;
  /** What Lamina was doing, for the line a user reads: "push the manifest", "read tags". */
  readonly doing: string;
  /** Whether the request carried a login: a refusal then means a wrong one, else a missing one. */
  readonly sentCredentials: boolean;
}

/** The registry wants a login and none was given: say every way to give one. */
export function loginNeeded(registry: string): LaminaError {
  return new LaminaError(
    `${redactUserinfo(registry)} needs a login: pass --creds USER:PASS, run docker login / skopeo login, or add the registry in Lamina's Settings`,
    'login-needed',
  );
}

/** Turns a refused request into one line saying what went wrong and what to do. */
export function registryError(req: FailedRequest): LaminaError {
  const codes = errorCodes(req.body);
  const where = redactUserinfo(req.repository ? `${req.registry}/${req.repository}` : req.registry);
  const said = registryMessage(req.body);
  const suffix = said ? ` (registry said: ${said})` : '';
  if (req.status === 401 || codes.includes('UNAUTHORIZED')) {
    if (!req.sentCredentials) return loginNeeded(req.registry);
    return new LaminaError(`${where} refused the credentials to ${req.doing}; check the user name and password (--creds USER:PASS or log in)`, 'unauthorized');
  }
  if (req.status === 403 || codes.includes('DENIED')) {
    return new LaminaError(`${where} denied access to ${req.doing}; the account may not have the right to do this${suffix}`, 'denied');
  }
  if (codes.includes('NAME_UNKNOWN')) {
    return new LaminaError(`the repository ${where} does not exist; check its name`, 'name-unknown');
  }
  if (codes.includes('MANIFEST_UNKNOWN') || (req.status === 404 && req.doing.includes('manifest'))) {
    return new LaminaError(`${where} has no such image to ${req.doing}; check the tag or digest`, 'manifest-unknown');
  }
  if (codes.includes('BLOB_UNKNOWN') || req.status === 404) {
    return new LaminaError(`${where} has no such content to ${req.doing}${suffix}`, 'not-found');
  }
  if (req.status === 429 || codes.includes('TOOMANYREQUESTS')) {
    return new LaminaError(`${where} kept answering "too many requests" to ${req.doing}; wait and try again`, 'rate-limited');
  }
  if (req.status >= 500) {
    return new LaminaError(`${where} failed (HTTP ${req.status}) to ${req.doing}, even after retries; try again later${suffix}`, 'server-error');
  }
  return new LaminaError(`${where} refused to ${req.doing} (HTTP ${req.status})${suffix}`, codes[0]?.toLowerCase() || 'refused');
}
