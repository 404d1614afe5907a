import type { BuildCacheUse } from '../../../../src-shared/cache-stats';
import { formatBytes, formatTime } from '../../format';

const WIDTH = 640;
const HEIGHT = 200;
const PAD = { left: 44, right: 12, top: 12, bottom: 28 };
const MAX_BAR = 36;
const POINT_RADIUS = 3.5;

/**
 * Share of each build's layer bytes that came from the cache, one bar per build in
 * the order they finished, stacked: the local cache below, a team cache above; the line through a marker per build is the share of layers
 * (the markers keep a single build, or one at 0%, visible). Plain SVG: a few hundred
 * points need no plotting library.
 */
export function HitRateChart({ history }: { readonly history: readonly BuildCacheUse[] }) {
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const step = plotW / Math.max(history.length, 1);
  const bar = Math.min(step * 0.7, MAX_BAR);
  const y = (share: number): number => PAD.top + plotH * (1 - share);
  const x = (i: number): number => PAD.left + step * (i + 0.5);
  const layerShare = (b: BuildCacheUse): number => (b.layers === 0 ? 0 : b.cachedLayers / b.layers);
  const line = history.map((b, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(layerShare(b)).toFixed(1)}`).join(' ');
  const bytesTotal = history.reduce((sum, b) => sum + b.bytes, 0);
  const bytesCached = history.reduce((sum, b) => sum + b.cachedBytes, 0);
  const bytesTeam = history.reduce((sum, b) => sum + b.teamBytes, 0);
  const summary =
    history.length === 0
      ? 'No image builds yet'
      : `${history.length} ${history.length === 1 ? 'build' : 'builds'}; ${Math.round((100 * bytesCached) / Math.max(bytesTotal, 1))}% of layer bytes came from the cache overall${bytesTeam > 0 ? ` (${Math.round((100 * bytesTeam) / Math.max(bytesTotal, 1))}% from a team cache)` : ''}`;

  return (
    <figure className="hit-chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`Cache hit rate per build: ${summary}`}>
        {[0, 0.5, 1].map((share) => (
          <g key={share}>
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(share)} y2={y(share)} className="hit-grid" />
            <text x={PAD.left - 6} y={y(share) + 4} textAnchor="end" className="hit-axis">
              {share * 100}%
            </text>
          </g>
        ))}
        {history.map((b, i) => {
          const share = b.bytes === 0 ? 0 : b.cachedBytes / b.bytes;
          const teamShare = b.bytes === 0 ? 0 : b.teamBytes / b.bytes;
          const local = share - teamShare;
          const title = `Job #${b.jobId} ${b.image} (${formatTime(b.finishedAt)}): ${b.cachedLayers} of ${b.layers} layers, ${formatBytes(b.cachedBytes)} of ${formatBytes(b.bytes)} from the cache (${b.teamLayers} layers, ${formatBytes(b.teamBytes)} from the team cache)`;
          return (
            <g key={b.jobId}>
              <rect x={x(i) - bar / 2} width={bar} y={y(local)} height={plotH * local} className="hit-bar">
                <title>{title}</title>
              </rect>
              {teamShare > 0 ? (
                <rect x={x(i) - bar / 2} width={bar} y={y(share)} height={plotH * teamShare} className="hit-bar-team">
                  <title>{title}</title>
                </rect>
              ) : null}
            </g>
          );
        })}
        {history.length > 1 ? <path d={line} className="hit-line" /> : null}
        {history.map((b, i) => (
          <circle key={b.jobId} cx={x(i)} cy={y(layerShare(b))} r={POINT_RADIUS} className="hit-point">
            <title>{`Job #${b.jobId} ${b.image}: ${b.cachedLayers} of ${b.layers} layers from the cache`}</title>
          </circle>
        ))}
        {history.length > 0 ? (
          <>
            <text x={x(0)} y={HEIGHT - 8} textAnchor="middle" className="hit-axis">
              #{history[0]!.jobId}
            </text>
            {history.length > 1 ? (
              <text x={x(history.length - 1)} y={HEIGHT - 8} textAnchor="middle" className="hit-axis">
                #{history.at(-1)!.jobId}
              </text>
            ) : null}
          </>
        ) : null}
      </svg>
      <figcaption className="muted">
        {summary}. Bars: share of layer bytes from the cache (lower part: this machine's cache; upper, lighter part: a team cache); line and dots: share of layers. One point per image build, in the app or with <code>lamina build</code>.
      </figcaption>
    </figure>
  );
}
