/**
 * Finds the Nix store paths a stream of bytes mentions, the way Nix finds a
 * path's references: by the hash part of each store path. Here the hash must
 * follow `/nix/store/` and be followed by `-`, which is how every real reference
 * is written and keeps binary noise out. Streams in chunks; a mention split
 * across two chunks is still found.
 */
const PREFIX = Buffer.from('/nix/store/');
const HASH_LENGTH = 32;
/** Prefix, hash and the dash after it. */
const MENTION_LENGTH = PREFIX.length + HASH_LENGTH + 1;
const NIX_BASE32 = /^[0-9abcdfghijklmnpqrsvwxyz]{32}$/;

export class StoreMentionScanner {
  private tail: Buffer = Buffer.alloc(0);

  constructor(private readonly found: (hash: string) => void) {}

  write(chunk: Buffer): void {
    if (this.tail.length > 0) {
      // Only mentions that start in the tail: the rest are found in the chunk itself.
      const junction = Buffer.concat([this.tail, chunk.subarray(0, MENTION_LENGTH)]);
      this.scan(junction, this.tail.length);
    }
    this.scan(chunk, chunk.length);
    // A mention is never whole inside the tail, so nothing is found twice.
    const keep = MENTION_LENGTH - 1;
    const recent = chunk.length >= keep ? chunk : Buffer.concat([this.tail, chunk]);
    this.tail = Buffer.from(recent.subarray(Math.max(0, recent.length - keep)));
  }

  /** Starts over, for the next file. */
  reset(): void {
    this.tail = Buffer.alloc(0);
  }

  private scan(bytes: Buffer, startsBefore: number): void {
    for (let at = bytes.indexOf(PREFIX); at >= 0 && at < startsBefore; at = bytes.indexOf(PREFIX, at + 1)) {
      if (at + MENTION_LENGTH > bytes.length) return;
      const start = at + PREFIX.length;
      if (bytes[start + HASH_LENGTH] !== 0x2d) continue;
      const hash = bytes.toString('latin1', start, start + HASH_LENGTH);
      if (NIX_BASE32.test(hash)) this.found(hash);
    }
  }
}

/** The hashes of the store paths mentioned in a short string (a symlink target, a config entry). */
export function storeMentions(text: string): string[] {
  const hashes = new Set<string>();
  new StoreMentionScanner((hash) => hashes.add(hash)).write(Buffer.from(text));
  return [...hashes];
}

const STORE_ENTRY = /^nix\/store\/([0-9abcdfghijklmnpqrsvwxyz]{32}-[^/]+)(?:\/|$)/;

/** The store path base (`<hash>-<name>`) a layer path lies in, or undefined outside /nix/store. */
export function storeBaseOf(path: string): string | undefined {
  return STORE_ENTRY.exec(path)?.[1];
}
