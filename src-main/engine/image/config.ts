/**
 * Builds the OCI image config for an image Lamina made: platform from the Nix
 * system, a fixed creation time (so equal inputs give equal digests), the user's
 * runtime settings, and one history entry per layer saying what it holds.
 */
import { LaminaError } from '../../../src-shared/errors.js';
import type { ContainerConfig, HistoryEntry, ImageConfig } from './model.js';

/** 1970-01-01T00:00:01Z, as Nix's dockerTools uses: reproducible, and not the zero value that some tools reject. */
export const DEFAULT_CREATED = '1970-01-01T00:00:01Z';

/** PATH when the user gives none: the customisation layer links binaries into /bin. */
export const DEFAULT_PATH = 'PATH=/bin:/usr/bin:/sbin:/usr/sbin';

export interface RuntimeConfig {
  readonly entrypoint?: readonly string[];
  readonly cmd?: readonly string[];
  /** `KEY=VALUE` entries or a map. */
  readonly env?: readonly string[] | Readonly<Record<string, string>>;
  readonly workingDir?: string;
  readonly user?: string;
  /** `80/tcp`, `53/udp`, or a bare port (tcp). */
  readonly exposedPorts?: readonly string[];
  readonly labels?: Readonly<Record<string, string>>;
}

export interface ConfigLayer {
  readonly diffId: string;
  /** What the history entry says the layer holds. */
  readonly description: string;
}

const ARCHITECTURES: Readonly<Record<string, string>> = {
  'x86_64-linux': 'amd64',
  'aarch64-linux': 'arm64',
  'i686-linux': '386',
  'armv7l-linux': 'arm',
  'riscv64-linux': 'riscv64',
  'powerpc64le-linux': 'ppc64le',
  's390x-linux': 's390x',
};

/** OCI architecture for a Nix system string (`x86_64-linux` -> `amd64`). */
export function architectureOf(system: string): string {
  const arch = ARCHITECTURES[system];
  if (!arch) {
    throw new LaminaError(
      `cannot make a Linux container image for the Nix system "${system}"; build for one of ${Object.keys(ARCHITECTURES).join(', ')}`,
      'unsupported-system',
    );
  }
  return arch;
}

export function makeImageConfig(input: {
  readonly system: string;
  readonly layers: readonly ConfigLayer[];
  readonly runtime: RuntimeConfig;
  readonly created?: string;
}): ImageConfig {
  const created = input.created ?? DEFAULT_CREATED;
  const history: HistoryEntry[] = input.layers.map((layer) => ({ created, created_by: 'lamina', comment: layer.description }));
  return {
    created,
    architecture: architectureOf(input.system),
    os: 'linux',
    config: containerConfig(input.runtime),
    rootfs: { type: 'layers', diff_ids: input.layers.map((l) => l.diffId) },
    history,
  };
}

function containerConfig(runtime: RuntimeConfig): ContainerConfig {
  const env = envEntries(runtime.env);
  if (!env.some((e) => e.startsWith('PATH='))) env.unshift(DEFAULT_PATH);
  return {
    Env: env,
    ...(runtime.entrypoint?.length ? { Entrypoint: [...runtime.entrypoint] } : {}),
    ...(runtime.cmd?.length ? { Cmd: [...runtime.cmd] } : {}),
    ...(runtime.workingDir ? { WorkingDir: runtime.workingDir } : {}),
    ...(runtime.user ? { User: runtime.user } : {}),
    ...(runtime.exposedPorts?.length ? { ExposedPorts: exposedPorts(runtime.exposedPorts) } : {}),
    ...(runtime.labels && Object.keys(runtime.labels).length ? { Labels: sortedRecord(runtime.labels) } : {}),
  };
}

function envEntries(env: RuntimeConfig['env']): string[] {
  if (!env) return [];
  const entries = Array.isArray(env) ? [...(env as readonly string[])] : Object.entries(env).map(([k, v]) => `${k}=${v}`);
  for (const entry of entries) {
    if (!/^[^=\s]+=/.test(entry)) throw new LaminaError(`environment entry "${entry}" is not KEY=VALUE; write it as KEY=VALUE`, 'bad-env');
  }
  return entries;
}

function exposedPorts(ports: readonly string[]): Record<string, Record<string, never>> {
  const out: Record<string, Record<string, never>> = {};
  for (const port of ports) {
    const match = /^(\d{1,5})(?:\/(tcp|udp|sctp))?$/.exec(port);
    const number = Number(match?.[1]);
    if (!match || number < 1 || number > 65535) {
      throw new LaminaError(`exposed port "${port}" is not PORT or PORT/tcp|udp|sctp (1-65535)`, 'bad-port');
    }
    out[`${number}/${match[2] ?? 'tcp'}`] = {};
  }
  return sortedRecord(out);
}

function sortedRecord<T>(record: Readonly<Record<string, T>>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
