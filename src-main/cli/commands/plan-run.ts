/**
 * What `lamina plan` (plan.ts) does when it runs: builds the packages with Nix
 * and shows how their runtime closure would be split into layers, without
 * writing any layer.
 */
import { storePathName } from '../../engine/closure/graph.js';
import { plural } from '../../../src-shared/layer-name.js';
import { planRecipe, type RecipePlan } from '../../engine/builder/plan-recipe.js';
import { withGcRootDir } from '../../engine/nix/build.js';
import { estimatePush, type PushEstimate } from '../../engine/builder/push-estimate.js';
import { describeReason, loadPopularity, type StoreSnapshot } from '../../engine/layering/index.js';
import { PushRecords } from '../../engine/registry/push-records.js';
import { reuseSnapshot } from '../../engine/store/reuse-snapshot.js';
import { openStore } from '../../engine/store/store.js';
import { handOverInterrupts } from '../early-nix.js';
import { buildProgress, table } from '../output.js';
import type { PlanFlags } from '../recipe-options.js';
import { formatBytes } from '../../../src-shared/format-bytes.js';
import type { PlanCommandFlags } from './plan.js';
import { parseDockerLocation } from './registry-access.js';

/** The flags as the engine's plan request. */
function planRequest(attrs: readonly string[], flags: PlanFlags) {
  return {
    source: flags.source,
    attrs,
    strategy: flags.strategy,
    maxLayers: flags.maxLayers,
    ...(flags.popularity ? { popularity: loadPopularity(flags.popularity) } : {}),
    ...(flags.builders !== undefined ? { builders: flags.builders } : {}),
  };
}

/** The `--json` shape: exactly these fields, for scripts. */
function jsonPlan({ plan }: RecipePlan, push: PushEstimate | undefined): string {
  return JSON.stringify({
    closure: plan.closure,
    newBytes: plan.newBytes,
    layers: plan.layers.map((layer) => ({
      key: layer.key,
      paths: layer.paths,
      narSize: layer.narSize,
      reused: layer.reused,
      reason: layer.reason,
      why: describeReason(layer.reason),
    })),
    ...(push ? { push } : {}),
  });
}

function humanPlan({ plan, graph }: RecipePlan, push: PushEstimate | undefined): string {
  const rows = plan.layers.map((layer, i) => {
    const largest = layer.paths.reduce((a, b) => ((graph.nodes.get(b)?.narSize ?? 0) > (graph.nodes.get(a)?.narSize ?? 0) ? b : a));
    return [String(i + 1), String(layer.paths.length), formatBytes(layer.narSize), layer.reused ? 'reused' : 'new', storePathName(largest), describeReason(layer.reason)];
  });
  const used = plan.layers.length + 1;
  const reused = plan.layers.filter((layer) => layer.reused).length;
  let text =
    table(['LAYER', 'PATHS', 'SIZE', 'STORE', 'LARGEST PATH', 'WHY'], rows) +
    `${plural(plan.closure.paths, 'store path')}, ${formatBytes(plan.closure.narSize)}, in ${plural(plan.layers.length, 'layer')} ` +
    `+ 1 customisation layer = ${used} of at most ${plan.maxLayers} (strategy ${plan.strategy})\n` +
    `${plural(reused, 'layer')} reused from the store; a build writes ${formatBytes(plan.newBytes)} of store paths\n`;
  if (plan.strategy === 'reuse' && plan.layers.length < plan.closure.paths && plan.layers.length < plan.maxLayers - 1) {
    text += `${plan.maxLayers - 1 - plan.layers.length} layer(s) of the budget left free, so packages added later get layers of their own\n`;
  }
  if (push) {
    text += `a push to ${push.registry}/${push.repository} sends ${plural(push.layers, 'layer')}: ${formatBytes(push.storedBytes)} stored + the compressed form of ${formatBytes(push.newNarBytes)} not built yet\n`;
  }
  return text;
}

export async function plan(attrs: string[], flags: PlanCommandFlags): Promise<void> {
  const target = flags.push !== undefined ? parseDockerLocation(flags.push) : undefined;
  const controller = new AbortController();
  const stopListening = handOverInterrupts(() => controller.abort());
  const progress = flags.json ? undefined : buildProgress();
  try {
    const store = await openStore();
    try {
      const snapshot: StoreSnapshot = reuseSnapshot(store.db, flags.compression);
      // Nix is asked as a build asks it: the packages stay GC roots while their closure is read,
      // from the path infos Lamina kept where it can (and what Nix adds is kept for the build).
      const result = await withGcRootDir(store.layout.ingestPath('nix-roots'), (gcRootDir) =>
        planRecipe(planRequest(attrs, flags), { signal: controller.signal, onEvent: progress?.onEvent, store: snapshot, gcRootDir, db: store.db }),
      );
      progress?.stop();
      const push = target ? estimatePush(result.plan, snapshot, new PushRecords(store.db), target) : undefined;
      process.stdout.write(flags.json ? jsonPlan(result, push) + '\n' : humanPlan(result, push));
    } finally {
      store.close();
    }
  } finally {
    progress?.stop();
    stopListening();
  }
}
