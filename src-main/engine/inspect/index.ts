/** Browsing and inspecting images: sources, layer file indexes, efficiency, store paths, comparison, CI verdicts. */
export { evaluateCi, type CiThresholds, type CiVerdict } from './ci.js';
export { ciFromEnv, mergeRules, parseBytesSetting, parseDiveCi, parseRatioSetting, type CiRules, type RuleSetting } from './dive-ci.js';
export { compareImages } from './compare.js';
export type { ChangedStorePath, ImageComparison, SharedLayer } from '../../../src-shared/image-report.js';
export { measureEfficiency } from './efficiency.js';
export type { Efficiency, WastedPath } from '../../../src-shared/image-report.js';
export { fileTree, type FileTreeOptions } from './file-tree.js';
export type { ChangeMark, FileTreeNode } from '../../../src-shared/image-report.js';
export type { FileFlag, FileKind, LayerFile } from '../../../src-shared/layer-file.js';
export { DEFAULT_LIMITS, type IndexLimits } from './limits.js';
export { listRepositories, listTags } from './registry-browse.js';
export { inspectImage, type InspectEvent, type InspectOptions } from './report.js';
export type { ImageReport, LayerReport } from '../../../src-shared/image-report.js';
export { formatPlatform, parsePlatform } from '../image/platform.js';
export { listPlatforms, type LocationOptions } from '../locations.js';
export type { StorePathReport } from '../../../src-shared/image-report.js';
export { ReadProgressCounter } from './read-progress.js';
export type { ReadProgress } from '../../../src-shared/images.js';
