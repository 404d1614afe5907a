/**
 * What the Compose and Plan views are shown, as plain data. No Node imports:
 * the IPC contract and the renderer use these.
 */

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
  readonly strategy: string;
  readonly layers: number;
  readonly largestLayer: number;
  /** NAR bytes of layers the local cache already holds from the user's other images. */
  readonly sharedBytes: number;
  readonly error?: string;
}

export interface PlanLayerView {
  readonly index: number;
  readonly narSize: number;
  readonly paths: readonly string[];
  /** The layer cache holds this exact layer already (a hit when built). */
  readonly cached: boolean;
}

export interface PlanView {
  readonly roots: readonly string[];
  readonly nodes: readonly PlanNode[];
  readonly strategy: string;
  readonly maxLayers: number;
  readonly layers: readonly PlanLayerView[];
  readonly closure: { readonly paths: number; readonly narSize: number };
  /** Every strategy at the same budget, to compare side by side. */
  readonly strategies: readonly StrategySummary[];
}

export interface WhyChain {
  readonly root: string;
  readonly chain: readonly string[];
}
