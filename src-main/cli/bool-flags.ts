/**
 * skopeo's flags are Go booleans: a bare `--tls-verify` is true and a value needs
 * "=" (`--tls-verify=false`), so `--tls-verify false` is true and an argument.
 * Commander wants a value, so a bare one is written out before parsing.
 */
export function bareTlsVerify(argv: readonly string[]): string[] {
  const end = argv.indexOf('--');
  return argv.map((arg, i) => (arg === '--tls-verify' && (end < 0 || i < end) ? '--tls-verify=true' : arg));
}
