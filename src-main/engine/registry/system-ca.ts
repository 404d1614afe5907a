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

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g;

/** A PEM certificate's base64 body without line breaks, to compare two PEM texts of one certificate. */
function certificateBody(pem: string): string {
  return pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s+/g, '');
}

let cached: string[] | undefined;

/**
 * The certificates of the first readable system bundle that Node's own list lacks
 * (PEM), read once per process. Node keeps its list parsed in one store that every
 * TLS context shares, so only these few need parsing for each context.
 */
export function systemOnlyRoots(env: NodeJS.ProcessEnv = process.env): string[] {
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
  const nodes = new Set(rootCertificates.map(certificateBody));
  cached = (system?.match(PEM_CERTIFICATE) ?? []).filter((pem) => !nodes.has(certificateBody(pem)));
  return cached;
}
