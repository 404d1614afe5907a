import { useEffect, useId, useState } from 'react';
import type { PlanView as Plan, WhyChain } from '../../../src-shared/plan';
import { api } from '../api/api';
import { formatBytes } from '../format';
import { useRecipe } from '../store/recipe';
import { ClosureGraph } from './plan/ClosureGraph';
import { LayerLegend } from './plan/LayerLegend';
import { LayerTreemap } from './plan/LayerTreemap';
import { plural, storeName } from '../../../src-shared/layer-name';
import './flow.css';
import './plan/plan.css';
import { ErrorNote } from '../components/ErrorNote';
import { isStrategyName, STRATEGY_NAMES, type StrategyName } from '../../../src-shared/strategies';
import { MAX_MAX_LAYERS, MIN_MAX_LAYERS } from '../../../src-shared/layer-budget';
import { StrategyTable } from './plan/StrategyTable';

const STRATEGY_HINTS: Record<StrategyName, string> = {
  reuse: "takes your store's layers as they are, a layer per path while the budget allows (default)",
  nixery: "Nixery's popularity and dominator grouping",
  'nixery-faithful': 'Nixery exactly, its flaws kept',
  popularity: "nixpkgs' referencesByPopularity",
  single: 'the whole closure in one layer',
};

/** Plan: how the recipe's closure becomes layers, strategy by strategy, before anything is written. */
export function PlanView() {
  const id = useId();
  const recipe = useRecipe((s) => s.recipe);
  const update = useRecipe((s) => s.update);
  // The last answer, with the question it answers: planning is under way while they differ.
  const [answer, setAnswer] = useState<{ key: string; plan: Plan | null; error: string | null }>({ key: '', plan: null, error: null });
  const [selected, setSelected] = useState<string | null>(null);
  const [why, setWhy] = useState<{ path: string; chains: readonly WhyChain[] } | { path: string; error: string } | null>(null);
  const { source, attrs, strategy, maxLayers, compression } = recipe;
  const ready = source.trim() !== '' && attrs.length > 0;
  const key = JSON.stringify([source, attrs, strategy, maxLayers, compression]);
  const loading = ready && answer.key !== key;
  const { plan, error } = answer;
  // An error answers these inputs: the plan still shown is for earlier ones and must not read as current.
  const stale = !loading && error !== null && plan !== null;

  useEffect(() => {
    if (!ready) return;
    let current = true;
    api.request('plan:view', { source, attrs: [...attrs], strategy, maxLayers, compression }).then(
      (result) => current && setAnswer({ key, plan: result, error: null }),
      (err: unknown) => current && setAnswer((old) => ({ key, plan: old.plan, error: (err as Error).message })),
    );
    return () => {
      current = false;
    };
  }, [ready, key, source, attrs, strategy, maxLayers, compression]);

  const select = (path: string): void => {
    setSelected(path);
    api.request('plan:why', { source, attrs: [...attrs], path }).then(
      (chains) => setWhy({ path, chains }),
      (err: unknown) => setWhy({ path, error: (err as Error).message }),
    );
  };

  if (!ready) {
    return (
      <div className="flow-view">
        <p className="empty-state">Pick a package source and some packages in Compose; their layer plan appears here.</p>
      </div>
    );
  }

  return (
    <div className="flow-view plan-view">
      <section className="flow-card plan-controls" aria-labelledby={`${id}-title`}>
        <h2 id={`${id}-title`}>Layer plan</h2>
        <div className="source-row">
          <label htmlFor={`${id}-strategy`}>
            Strategy
            <select id={`${id}-strategy`} value={strategy} onChange={(e) => isStrategyName(e.target.value) && update({ strategy: e.target.value })}>
              {STRATEGY_NAMES.map((name) => (
                <option key={name} value={name}>
                  {name}: {STRATEGY_HINTS[name]}
                </option>
              ))}
            </select>
          </label>
          <label htmlFor={`${id}-max`}>
            Max layers
            <input
              id={`${id}-max`}
              type="number"
              min={MIN_MAX_LAYERS}
              max={MAX_MAX_LAYERS}
              value={maxLayers}
              onChange={(e) => e.target.value !== '' && update({ maxLayers: Number(e.target.value) })}
            />
          </label>
          <p className="muted grow" role="status" data-testid="plan-summary">
            {loading ? 'Planning…' : error ? 'No plan for these settings' : plan ? planSummary(plan) : ''}
          </p>
        </div>
        <ErrorNote message={error} />
      </section>

      {plan ? (
        <div className={stale ? 'plan-body is-stale' : 'plan-body'}>
          {stale ? (
            <p className="plan-stale-note" role="note" data-testid="plan-stale">
              Out of date: below is the last plan made, {plural(plan.layers.length + 1, 'layer')} at max {plan.maxLayers} with {plan.strategy}, not one for the settings above.
            </p>
          ) : null}
          <section className="flow-card" aria-labelledby={`${id}-strategies`}>
            <h2 id={`${id}-strategies`}>Strategies for this recipe at {plan.maxLayers} layers</h2>
            <StrategyTable plan={plan} onUse={(strategy) => update({ strategy })} />
          </section>

          <div className="plan-panes">
            <section className="flow-card graph-card" aria-labelledby={`${id}-graph`}>
              <h2 id={`${id}-graph`}>Closure graph</h2>
              <ClosureGraph nodes={plan.nodes} selected={selected} onSelect={select} />
            </section>
            <section className="flow-card why-card" aria-labelledby={`${id}-why`}>
              <h2 id={`${id}-why`}>Why is it here?</h2>
              <label htmlFor={`${id}-path`}>
                Store path
                <select id={`${id}-path`} value={selected ?? ''} onChange={(e) => e.target.value && select(e.target.value)}>
                  <option value="">Pick a path, or click one in the graph</option>
                  {[...plan.nodes]
                    .sort((a, b) => a.name.localeCompare(b.name))
                    .map((n) => (
                      <option key={n.path} value={n.path}>
                        {n.name} ({formatBytes(n.narSize)})
                      </option>
                    ))}
                </select>
              </label>
              <WhyAnswer why={why} />
              <h3>Layers</h3>
              <LayerLegend layers={plan.layers} nodes={plan.nodes} roots={plan.roots} />
            </section>
          </div>

          <section className="flow-card" aria-labelledby={`${id}-treemap`}>
            <h2 id={`${id}-treemap`}>Layers by size</h2>
            <LayerTreemap layers={plan.layers} nodes={plan.nodes} roots={plan.roots} onSelect={select} />
          </section>
        </div>
      ) : null}
    </div>
  );
}

/** The layers as the image has them: the store-path layers and the links layer, so Plan and Build count alike. */
function planSummary(plan: Plan): string {
  const reused = plan.layers.filter((l) => l.cached).length;
  return (
    `${plural(plan.layers.length + 1, 'layer')} for ${plural(plan.closure.paths, 'store path')}, ${formatBytes(plan.closure.narSize)}: ` +
    `${plural(plan.layers.length, 'layer')} of store paths (${reused} reused from your store) and 1 of links to the packages; a build writes ${formatBytes(plan.newBytes)}`
  );
}

function WhyAnswer({ why }: { why: { path: string; chains: readonly WhyChain[] } | { path: string; error: string } | null }) {
  if (!why) return <p className="muted">Which top-level package pulls a path in, and through what.</p>;
  if ('error' in why) {
    return (
      <p className="error" role="alert">
        {why.error}
      </p>
    );
  }
  return (
    <div data-testid="why-depends" aria-live="polite">
      <p>
        <code>{storeName(why.path)}</code> is pulled in by {why.chains.length} top-level {why.chains.length === 1 ? 'package' : 'packages'}:
      </p>
      <ul className="why-chains">
        {why.chains.map((chain) => (
          <li key={chain.root}>{chain.chain.map(storeName).join(' → ')}</li>
        ))}
      </ul>
    </div>
  );
}
