/** Browsing and inspecting images: sources, layer file indexes, efficiency, store paths, comparison, CI verdicts. */
export { evaluateCi, type CiThresholds, type CiVerdict } from './ci.js';
export { ciFromEnv, mergeRules, parseBytesSetting, parseDiveCi, parseRatioSetting, type CiRules, type RuleSetting } from './dive-ci.js';
export { compareImages, type ChangedStorePath, type ImageComparison, type SharedLayer } from './compare.js';
export { measureEfficiency, type Efficiency, type WastedPath } from './efficiency.js';
export { fileTree, type ChangeMark, type FileTreeNode, type FileTreeOptions } from './file-tree.js';
export type { FileFlag, FileKind, LayerFile } from './layer-file.js';
export { DEFAULT_LIMITS, type IndexLimits } from './limits.js';
export { listRepositories, listTags } from './registry-browse.js';
export { inspectImage, type ImageReport, type InspectEvent, type InspectOptions, type LayerReport } from './report.js';
export { formatPlatform, listPlatforms, parsePlatform, type SourceOptions } from './sources.js';
export type { StorePathReport } from './store-paths.js';
export { ReadProgressCounter, type ReadProgress } from './read-progress.js';
