/**
 * The filesystem a container sees after a sequence of layers, as overlayfs and
 * the OCI spec build it: a whiteout removes a path and everything below it from
 * the layers underneath, an opaque directory hides everything they have inside
 * it, and a non-directory replaces whatever was below a directory at its path.
 * Whiteouts never touch entries of their own layer. Children are indexed by
 * parent (directories the tars do not list included) so a removal costs the
 * size of what it removes, not of the tree.
 */
import type { LayerFile } from '../../../src-shared/layer-file.js';
import { parentOf, whiteoutOf } from './tar-path.js';

export class MergedTree {
  private readonly entries = new Map<string, LayerFile>();
  private readonly children = new Map<string, Set<string>>();

  get(path: string): LayerFile | undefined {
    return this.entries.get(path);
  }

  /** Whether anything is at `path`: an entry, or a directory that only the paths below it imply. */
  has(path: string): boolean {
    return this.entries.has(path) || this.children.has(path);
  }

  /** Paths strictly below `dir` ('' is the root), depth first. */
  *below(dir: string): Generator<string> {
    for (const child of this.children.get(dir) ?? []) {
      yield child;
      yield* this.below(child);
    }
  }

  /** Direct children of `dir`. */
  childrenOf(dir: string): readonly string[] {
    return [...(this.children.get(dir) ?? [])];
  }

  apply(files: readonly LayerFile[]): void {
    for (const file of files) {
      const whiteout = file.kind === 'whiteout' || file.kind === 'opaque' ? whiteoutOf(file.path) : undefined;
      if (whiteout?.kind === 'whiteout') this.remove(whiteout.target, true);
      else if (whiteout?.kind === 'opaque') this.remove(whiteout.dir, false);
    }
    for (const file of files) {
      if (file.kind === 'whiteout' || file.kind === 'opaque') continue;
      if (file.kind !== 'directory' && this.children.has(file.path)) this.remove(file.path, false);
      this.set(file);
    }
  }

  private set(file: LayerFile): void {
    this.entries.set(file.path, file);
    // Directories a tar does not list still hold what is below them: link the whole chain up to the root.
    for (let child = file.path; child !== ''; child = parentOf(child)) {
      const parent = parentOf(child);
      let siblings = this.children.get(parent);
      if (!siblings) this.children.set(parent, (siblings = new Set()));
      if (siblings.has(child)) break;
      siblings.add(child);
    }
  }

  /** Removes everything below `path`, and `path` itself when `inclusive`. */
  private remove(path: string, inclusive: boolean): void {
    for (const child of this.children.get(path) ?? []) this.remove(child, true);
    this.children.delete(path);
    if (!inclusive) return;
    this.entries.delete(path);
    this.children.get(parentOf(path))?.delete(path);
  }
}
