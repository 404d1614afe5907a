/**
 * Layers named by what they hold, the way a person would say it: "git + 3 more",
 * "bash, gzip + 12 more", "links to bash, gzip". No Node imports: the Plan,
 * Build and Images views name layers with the same words the engine does.
 */

export interface SizedPath {
  /** A store path, `/nix/store/<hash>-<name>`, or just its name. */
  readonly path: string;
  /** Bytes (NAR size or bytes in the layer): the largest program names the layer. */
  readonly size: number;
}

const STORE_PREFIX = /^\/nix\/store\/[0-9a-z]{32}-/;

/** `bash-5.2.15-2+b8` from `/nix/store/<hash>-bash-5.2.15-2+b8`. */
export function storeName(path: string): string {
  return path.replace(STORE_PREFIX, '');
}

/**
 * The package name without its version. Nix's `parseDrvName` ends the name at
 * the first dash followed by something other than a letter; Debian-style names
 * hold such dashes (`gcc-12-base`, `libpcre2-8-0`), so where a later part looks
 * like a version (it has a dot) the name ends there instead:
 * `bash-5.2.15-2+b8` -> `bash`, `gcc-12-base-12.2.0-14` -> `gcc-12-base`,
 * `tzdata-2024a` -> `tzdata`.
 */
export function packageName(path: string): string {
  const name = storeName(path);
  const dotted = /-(?=\d[^-]*\.)/.exec(name);
  const split = dotted ?? /-[^A-Za-z]/.exec(name);
  return split && split.index > 0 ? name.slice(0, split.index) : name;
}

/** Shared libraries and data that many programs use: a poor name for a layer while a program is there. */
function isSupport(name: string): boolean {
  return /^(lib|glibc)/.test(name) || /-(lib|libs|dev|data|common|doc|man|locales?)$/.test(name);
}

/**
 * The packages that name a layer, most telling first: the image's top-level
 * packages it holds (in the image's order), else its largest program (unless a
 * path four times its size is there), else its largest path. Ties go to the
 * name, so the answer is the same every time.
 */
export function mainPackages(paths: readonly SizedPath[], roots: readonly string[] = []): string[] {
  const inLayer = new Set(paths.map((p) => p.path));
  const rootsHere = roots.filter((root) => inLayer.has(root));
  if (rootsHere.length > 0) return [...new Set(rootsHere.map(packageName))].slice(0, 2);
  // The first path, by size down and then name, of all and of the programs; one
  // pass each rather than a sort (a no-change build names every layer of its plan).
  const largest = firstBySize(paths);
  if (!largest) return [];
  // A program names the layer unless a library dwarfs it (libc6 beside a tiny gcc-12-base is a libc6 layer).
  const main = firstBySize(paths.filter((p) => p.size * 4 >= largest.size && !isSupport(packageName(p.path)))) ?? largest;
  return [packageName(main.path)];
}

/** The largest path, the first by name among equals; undefined for none. */
function firstBySize(paths: readonly SizedPath[]): SizedPath | undefined {
  let best: SizedPath | undefined;
  for (const p of paths) {
    if (!best || p.size > best.size || (p.size === best.size && storeName(p.path).localeCompare(storeName(best.path)) < 0)) best = p;
  }
  return best;
}

/** "gzip", "gzip + 2 more", "bash, gzip + 12 more": a store-path layer's name. */
export function layerTitle(paths: readonly SizedPath[], roots: readonly string[] = []): string {
  const main = mainPackages(paths, roots);
  if (main.length === 0) return 'empty';
  const more = paths.length - main.length;
  return more > 0 ? `${main.join(', ')} + ${more} more` : main.join(', ');
}

/** The customisation layer's name: the top-level packages it links into /bin, /lib… */
export function linksTitle(roots: readonly string[]): string {
  return `links to ${[...new Set(roots.map(packageName))].join(', ')}`;
}

/** "1 path", "3 paths", "12,345 paths": counts read as English. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${groupThousands(count)} ${count === 1 ? one : many}`;
}

/**
 * `toLocaleString('en')` for whole numbers, without Intl: its first use costs a
 * CLI process tens of milliseconds (a no-change `lamina build` names its layers
 * with this). Anything else still goes through Intl.
 */
function groupThousands(count: number): string {
  if (!Number.isSafeInteger(count)) return count.toLocaleString('en');
  const digits = String(Math.abs(count));
  let out = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return count < 0 || Object.is(count, -0) ? `-${out}` : out;
}
