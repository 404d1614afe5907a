/**
 * The closure graph's layout off the page's thread: dagre needs seconds for a
 * 1,000-path closure, and the Plan view stays usable meanwhile.
 */
import type { PlanNode } from '../../../../src-shared/plan';
import { layoutGraph } from './graph-layout';

self.onmessage = (event: MessageEvent<readonly PlanNode[]>) => {
  self.postMessage(layoutGraph(event.data));
};
