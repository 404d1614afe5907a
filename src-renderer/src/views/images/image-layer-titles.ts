/** An opened image's layers named by what they hold, as the Plan and Build views name them. */
import { layerTitle, linksTitle } from '../../../../src-shared/layer-name';
import type { OpenedImage } from '../../../../src-shared/images';

/** One name per layer, in layer order: its main packages and count, the links layer's packages, or what the history says. */
export function imageLayerTitles(image: OpenedImage): string[] {
  const sizes = new Map(image.storePaths.map((p) => [p.path, p.size]));
  return image.layers.map((layer) => {
    if (layer.storePaths.length > 0) return layerTitle(layer.storePaths.map((path) => ({ path, size: sizes.get(path) ?? 0 })), image.roots);
    const said = layer.history?.comment ?? layer.history?.created_by ?? '';
    if (said.startsWith('lamina: links to') && image.roots.length > 0) return linksTitle(image.roots);
    return said || (layer.fileCount > 0 ? 'files outside the Nix store' : 'empty');
  });
}
