/**
 * The system's trust store. Node trusts only its bundled Mozilla list; a company CA
 * that IT installed system-wide lives in the distribution's bundle file, so that
 * bundle is read too (the files Go's crypto/x509 reads on Linux, SSL_CERT_FILE first).
 */
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';

const BUNDLES = [
  '/etc/ssl/certs/ca-certificates.crt',
  '/etc/pki/tls/certs/ca-bundle.crt',
  '/etc/ssl/ca-bundle.pem',
  '/etc/pki/tls/cacert.pem',
  '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem',
  '/etc/ssl/cert.pem',
];

let cached: string[] | undefined;

/** Node's roots plus the first readable system bundle, read once per process. */
export function trustedRoots(env: NodeJS.ProcessEnv = process.env): string[] {
  if (cached) return cached;
  const files = env['SSL_CERT_FILE'] ? [env['SSL_CERT_FILE'], ...BUNDLES] : BUNDLES;
  let system: string | undefined;
  for (const file of files) {
    try {
      system = readFileSync(file, 'utf8');
      break;
    } catch {
      // Each distribution keeps the bundle in one of these; the others are absent.
    }
  }
  cached = system ? [...rootCertificates, system] : [...rootCertificates];
  return cached;
}
