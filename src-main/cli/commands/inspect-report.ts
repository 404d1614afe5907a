/**
 * `lamina inspect REF --files | --ci | --platform`: the deep report, dive-like and
 * Nix-aware. Every layer is read once (streamed, digest-checked) into a file index
 * kept in the store's database, so a second look is instant. The plain
 * `lamina inspect REF` (inspect.ts) only reads the manifest and config.
 */
import { LaminaError } from '../../../src-shared/errors.js';
import { parseReference } from '../../../src-shared/reference.js';
import { existsSync, readFileSync } from 'node:fs';
import {
  ciFromEnv,
  evaluateCi,
  mergeRules,
  parseDiveCi,
  type CiRules,
  fileTree,
  formatPlatform,
  inspectImage,
  parsePlatform,
  type CiVerdict,
  type FileTreeNode,
  type InspectEvent,
  type ImageReport,
  ReadProgressCounter,
} from '../../engine/inspect/index.js';
import { openStore } from '../../engine/store/store.js';
import { byteProgress, type ByteProgress } from '../byte-progress.js';
import { shortDigest, table } from '../output.js';
import { CI_FAILED_EXIT, type ReportFlags } from './inspect.js';
import { flagCredentials } from './registry-access.js';
import { formatBytes } from '../../../src-shared/format-bytes.js';

/** dive's CI rules file, read from the working directory when --ci-config names none. */
const DIVE_CI_FILE = '.dive-ci';

/** The rules the flags set; those not given are left to the file and dive's defaults. */
function flagRules(flags: ReportFlags): CiRules {
  return {
    ...(flags.lowestEfficiency !== undefined ? { lowestEfficiency: flags.lowestEfficiency } : {}),
    ...(flags.highestWastedBytes !== undefined ? { highestWastedBytes: flags.highestWastedBytes } : {}),
    ...(flags.highestUserWastedPercent !== undefined ? { highestUserWastedPercent: flags.highestUserWastedPercent } : {}),
  };
}

/** --ci-config FILE (which must exist), else ./.dive-ci when there is one, else no file. */
function fileRules(flags: ReportFlags): { rules: CiRules; file?: string } {
  const file = flags.ciConfig ?? (existsSync(DIVE_CI_FILE) ? DIVE_CI_FILE : undefined);
  if (file === undefined) return { rules: {} };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new LaminaError(`cannot read the CI rules file ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'}); check --ci-config`, 'bad-ci-config', { cause: err });
  }
  return { rules: parseDiveCi(text, file), file };
}

const MARKS = { added: 'A', modified: 'M', removed: 'D', unchanged: ' ' } as const;

function treeLines(node: FileTreeNode, out: string[]): void {
  for (const child of node.children) {
    const link = child.link ? ` -> ${child.link}` : '';
    const flags = child.flags?.length ? `  [${child.flags.join(', ')}]` : '';
    out.push(`  ${MARKS[child.mark]} ${formatBytes(child.size).padStart(9)}  /${child.path}${child.kind === 'directory' ? '/' : ''}${link}${flags}`);
    treeLines(child, out);
  }
}

function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

function human(report: ImageReport, flags: ReportFlags, verdict: CiVerdict | undefined): string {
  const { efficiency } = report;
  const lines = [
    `image:      ${report.reference}`,
    `digest:     ${report.manifestDigest}`,
    `platform:   ${formatPlatform(report.platform)}${report.indexPlatforms ? ` (of ${report.indexPlatforms.map(formatPlatform).join(', ')})` : ''}`,
    `size:       ${formatBytes(report.compressedSize)} compressed, ${formatBytes(report.uncompressedSize)} as tar, in ${report.layers.length} layers`,
    `efficiency: ${percent(efficiency.efficiency)}, ${formatBytes(efficiency.wastedBytes)} wasted in ${efficiency.wastedPaths.length} paths`,
    `packages:   ${report.roots.length > 0 ? report.roots.join(' ') : '-'}`,
    '',
  ];
  const rows = report.layers.map((l) => [
    String(l.index + 1),
    shortDigest(l.digest),
    formatBytes(l.compressedSize),
    formatBytes(l.uncompressedSize),
    String(l.files.length),
    String(l.storePaths.length),
    l.history?.created_by ?? '',
  ]);
  let text = lines.join('\n') + table(['#', 'DIGEST', 'SIZE', 'TAR', 'FILES', 'STORE PATHS', 'CREATED BY'], rows);
  const warnings = report.layers.flatMap((l) => l.warnings.map((w) => `  layer ${l.index + 1}: ${w}`));
  if (warnings.length > 0) text += `\nwarnings:\n${warnings.join('\n')}\n`;
  if (efficiency.wastedPaths.length > 0) {
    text += '\nwasted (path, layers, bytes):\n';
    text += efficiency.wastedPaths
      .slice(0, 20)
      .map((w) => `  /${w.path}  ${w.layers.map((i) => i + 1).join(',')}  ${formatBytes(w.wastedBytes)}`)
      .join('\n');
    text += '\n';
  }
  if (flags.files) {
    for (const layer of report.layers) {
      const out: string[] = [];
      treeLines(fileTree(report, layer.index, { sort: flags.sort, ...(flags.filter ? { filter: flags.filter } : {}) }), out);
      text += `\nlayer ${layer.index + 1} ${shortDigest(layer.digest)} (A added, M modified, D removed):\n${out.join('\n')}\n`;
    }
  }
  if (verdict) text += `\nci: ${verdict.pass ? 'pass' : `FAIL: ${verdict.reasons.join('; ')}`}\n`;
  return text;
}

/** The `--json` shape of plain inspect, plus the deep report's findings. */
function json(report: ImageReport, flags: ReportFlags, verdict: CiVerdict | undefined): string {
  return JSON.stringify({
    digest: report.manifestDigest,
    mediaType: report.manifest.mediaType,
    config: report.config,
    platform: formatPlatform(report.platform),
    layers: report.layers.map((l) => ({
      digest: l.digest,
      size: l.compressedSize,
      mediaType: l.mediaType,
      diffId: l.diffId,
      uncompressedSize: l.uncompressedSize,
      storePaths: l.storePaths,
      warnings: l.warnings,
      ...(flags.files ? { files: fileTree(report, l.index, { sort: flags.sort, ...(flags.filter ? { filter: flags.filter } : {}) }) } : {}),
    })),
    efficiency: report.efficiency,
    roots: report.roots,
    storePaths: report.storePaths,
    ...(verdict ? { ci: verdict } : {}),
  });
}

/** A byte bar per layer being read and one for all layers, on a terminal (layers indexed before count at once). */
function layerProgress(flags: ReportFlags): { onEvent: (event: InspectEvent) => void; stop(): void } {
  let bars: ByteProgress | undefined;
  const counter = new ReadProgressCounter();
  return {
    onEvent: (event) => {
      counter.take(event);
      if (event.type === 'opened') {
        bars = byteProgress('layers', counter.current.bytesTotal, flags);
      } else if (event.type === 'layer-read') {
        bars?.item(String(event.index), `layer ${event.index + 1}`, event.bytes, counter.sizeOf(event.index));
      } else {
        bars?.itemDone(String(event.index));
      }
      bars?.total(counter.current.bytesDone);
    },
    stop: () => bars?.stop(),
  };
}

export async function inspectReport(spec: string, flags: ReportFlags, signal: AbortSignal): Promise<void> {
  // As dive: CI=true in the environment turns the verdict on for the file listing.
  const ci = flags.ci || (flags.files === true && ciFromEnv());
  if (!ci && (Object.keys(flagRules(flags)).length > 0 || flags.ciConfig !== undefined)) {
    throw new LaminaError('--lowest-efficiency, --highest-wasted-bytes, --highest-user-wasted-percent and --ci-config go with --ci', 'bad-flags');
  }
  const rules = ci ? fileRules(flags) : undefined;
  const registry = spec.startsWith('docker://') ? parseReference(spec.slice('docker://'.length)).registry : undefined;
  const credentials = registry ? flagCredentials(flags, registry) : undefined;
  const store = await openStore();
  try {
    const progress = layerProgress(flags);
    const report = await inspectImage(spec, {
      db: store.db,
      store,
      signal,
      onEvent: progress.onEvent,
      ...(flags.tlsVerify !== undefined ? { tlsVerify: flags.tlsVerify } : {}),
      ...(flags.certDir !== undefined ? { certDir: flags.certDir } : {}),
      ...(credentials ? { credentials } : {}),
      ...(flags.platform ? { platform: parsePlatform(flags.platform) } : {}),
    }).finally(() => progress.stop());
    const verdict = rules ? evaluateCi(report, mergeRules(rules.rules, flagRules(flags))) : undefined;
    if (rules?.file && !flags.json) process.stderr.write(`lamina: CI rules from ${rules.file}\n`);
    process.stdout.write(flags.json ? json(report, flags, verdict) + '\n' : human(report, flags, verdict));
    if (verdict && !verdict.pass) process.exitCode = CI_FAILED_EXIT;
  } finally {
    store.close();
  }
}
