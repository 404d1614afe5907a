/** One challenge of a WWW-Authenticate header (RFC 7235): a scheme and its parameters. */
export interface Challenge {
  /** Lowercased: `basic` or `bearer` are the ones registries use. */
  readonly scheme: string;
  readonly params: Readonly<Record<string, string>>;
}

/**
 * Parses a WWW-Authenticate header, which may hold several challenges, each a
 * scheme followed by comma-separated `key=value` or `key="quoted value"` pairs.
 */
export function parseChallenges(header: string): Challenge[] {
  const challenges: { scheme: string; params: Record<string, string> }[] = [];
  const token = /\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*/y;
  let i = 0;
  while (i < header.length) {
    token.lastIndex = i;
    const scheme = token.exec(header);
    if (!scheme) break;
    i = token.lastIndex;
    const current = { scheme: scheme[1]!.toLowerCase(), params: {} as Record<string, string> };
    challenges.push(current);
    for (;;) {
      const pair = /\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*,?/y;
      pair.lastIndex = i;
      const m = pair.exec(header);
      if (!m) break;
      current.params[m[1]!.toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!;
      i = pair.lastIndex;
    }
    while (i < header.length && (header[i] === ',' || header[i] === ' ')) i++;
  }
  return challenges;
}
