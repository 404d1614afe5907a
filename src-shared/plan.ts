/**
 * What the Compose and Plan views are shown, as plain data. No Node imports:
 * the IPC contract and the renderer use these.
 */
import type { LayerReason } from './layer-reason.js';
import type { StrategyName } from './strategies.js';

export interface ClosurePreview {
  /** Each requested attribute's output path, in the request's order. */
  readonly roots: readonly { readonly attr: string; readonly path: string; readonly closureSize: number; readonly uniqueSize: number }[];
  readonly paths: number;
  readonly narSize: number;
}

export interface PlanNode {
  readonly path: string;
  readonly name: string;
  readonly narSize: number;
  readonly references: readonly string[];
  /** Index into the chosen strategy's layers. */
  readonly layer: number;
}

export interface StrategySummary {
  readonly strategy: StrategyName;
  readonly layers: number;
  readonly largestLayer: number;
  /** NAR bytes of layers the store already holds (from the user's other images): a build takes them as they are. */
  readonly sharedBytes: number;
  /** NAR bytes of the layers a build would write. */
  readonly newBytes: number;
  readonly error?: string;
}

export interface PlanLayerView {
  readonly index: number;
  readonly narSize: number;
  readonly paths: readonly string[];
  /** The store holds this exact layer already: reused, a cache hit when built. */
  readonly cached: boolean;
  readonly reason: LayerReason;
  /** The reason as one sentence. */
  readonly why: string;
}

export interface PlanView {
  readonly roots: readonly string[];
  readonly nodes: readonly PlanNode[];
  readonly strategy: StrategyName;
  readonly maxLayers: number;
  readonly layers: readonly PlanLayerView[];
  readonly closure: { readonly paths: number; readonly narSize: number };
  /** NAR bytes of the chosen plan's layers the store does not hold: what a build would write. */
  readonly newBytes: number;
  /** Every strategy at the same budget, to compare side by side. */
  readonly strategies: readonly StrategySummary[];
}

export interface WhyChain {
  readonly root: string;
  readonly chain: readonly string[];
}
