/**
 * The Nix store paths an image holds, per layer, with their size and the
 * top-level packages that need them. Evidence, best first:
 * - references: the local Nix store's, for paths valid here; otherwise the store
 *   paths the image's own files of that path mention (as Nix scans for them);
 * - top-level packages: the store paths that files outside /nix/store mention
 *   (the customisation layer's links, /etc files) and those the config's
 *   entrypoint, command, environment and working dir name; when the image shows
 *   none, the paths no other path of the image refers to;
 * - size: narSize from the local Nix store, else the file bytes found in the layers.
 * Pure: the local store's answers are passed in.
 */
import { closureOf, storePathName, type ClosureGraph, type StorePathInfo } from '../closure/graph.js';
import type { ImageConfig } from '../image/model.js';
import type { LayerIndex } from './layer-index.js';
import { storeBaseOf, storeMentions } from './store-refs.js';
import type { Evidence, StorePathReport } from '../../../src-shared/image-report.js';

export interface StorePathAnalysis {
  readonly paths: readonly StorePathReport[];
  /** The image's top-level packages. */
  readonly roots: readonly string[];
  /** `image`: named by the image; `unreferenced`: inferred as the paths nothing else refers to. */
  readonly rootsSource: 'image' | 'unreferenced';
}

const STORE_DIR = '/nix/store/';

/** Every store path with files in the layers, in path order. */
export function storePathsIn(layers: readonly Pick<LayerIndex, 'files'>[]): string[] {
  const paths = new Set<string>();
  for (const layer of layers) for (const file of layer.files) {
    const base = storeBaseOf(file.path);
    if (base) paths.add(STORE_DIR + base);
  }
  return [...paths].sort();
}

export function analyseStorePaths(
  layers: readonly Pick<LayerIndex, 'files' | 'mentions'>[],
  config: ImageConfig,
  local: ReadonlyMap<string, StorePathInfo>,
): StorePathAnalysis {
  const byHash = new Map<string, string>();
  const presence = new Map<string, { layers: number[]; bytes: number[] }>();
  for (const [index, layer] of layers.entries()) {
    for (const file of layer.files) {
      const base = storeBaseOf(file.path);
      if (!base) continue;
      const path = STORE_DIR + base;
      byHash.set(base.slice(0, 32), path);
      const seen = presence.get(path) ?? { layers: [], bytes: [] };
      presence.set(path, seen);
      if (seen.layers.at(-1) !== index) {
        seen.layers.push(index);
        seen.bytes.push(0);
      }
      if (file.kind === 'file') seen.bytes[seen.bytes.length - 1]! += file.size;
    }
  }

  const mentioned = new Map<string, Set<string>>();
  const topLevel = new Set<string>();
  for (const layer of layers) {
    for (const { owner, hash } of layer.mentions) {
      const target = byHash.get(hash);
      if (!target) continue;
      if (owner === '') topLevel.add(target);
      else {
        const from = STORE_DIR + owner;
        if (from === target) continue;
        const refs = mentioned.get(from) ?? new Set<string>();
        mentioned.set(from, refs);
        refs.add(target);
      }
    }
  }
  for (const hash of configMentions(config)) {
    const target = byHash.get(hash);
    if (target) topLevel.add(target);
  }

  const nodes = new Map<string, StorePathInfo>();
  for (const path of presence.keys()) {
    const info = local.get(path);
    const references = info ? info.references.filter((r) => r !== path && presence.has(r)) : [...(mentioned.get(path) ?? [])];
    nodes.set(path, { path, name: storePathName(path), narSize: info?.narSize ?? presence.get(path)!.bytes[0]!, references: references.sort() });
  }
  const rootsSource = topLevel.size > 0 ? 'image' : 'unreferenced';
  const roots = topLevel.size > 0 ? [...topLevel].sort() : unreferenced(nodes);
  const graph: ClosureGraph = { nodes, roots };
  const neededBy = new Map<string, string[]>();
  for (const root of roots) for (const path of closureOf(graph, [root])) neededBy.set(path, [...(neededBy.get(path) ?? []), root]);

  const paths = [...presence.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([path, seen]): StorePathReport => {
      const node = nodes.get(path)!;
      const source: Evidence = local.has(path) ? 'nix-store' : 'layer';
      return {
        path,
        name: node.name,
        layers: seen.layers,
        layerBytes: seen.bytes[0]!,
        size: node.narSize,
        sizeSource: source,
        references: node.references,
        referencesSource: source,
        neededBy: neededBy.get(path) ?? [],
      };
    });
  return { paths, roots, rootsSource };
}

function unreferenced(nodes: ReadonlyMap<string, StorePathInfo>): string[] {
  const referenced = new Set<string>();
  for (const node of nodes.values()) for (const ref of node.references) referenced.add(ref);
  return [...nodes.keys()].filter((path) => !referenced.has(path)).sort();
}

/** Store paths named where the container starts: entrypoint, command, environment, working dir. */
function configMentions(config: ImageConfig): string[] {
  const run = config.config;
  const strings = [...(run?.Entrypoint ?? []), ...(run?.Cmd ?? []), ...(run?.Env ?? []), run?.WorkingDir ?? ''];
  return storeMentions(strings.join('\n'));
}
