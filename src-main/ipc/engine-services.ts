/**
 * The engine as the app and `lamina serve` use it: the database in the data dir,
 * a job runner with every job kind the UI can start, and the handlers of the
 * contract. One function so the Electron window and the browser get the same thing.
 */
import { version } from '../../package.json';
import { openDatabase, type Db } from '../engine/db/database.js';
import { LaminaError } from '../../src-shared/errors.js';
import { ImageSessions } from '../engine/inspect/image-sessions.js';
import { laminaHome } from '../engine/home.js';
import type { JobKinds } from '../engine/jobs/kind.js';
import { imageBuildJob } from '../engine/jobs/kinds/image-build.js';
import { nixBuildJob } from '../engine/jobs/kinds/nix-build.js';
import { packageIndexJob } from '../engine/jobs/kinds/package-index.js';
import { WithheldSources } from '../engine/jobs/kinds/withheld-sources.js';
import { pushJob, savedLogins } from '../engine/jobs/kinds/push.js';
import { JobRunner } from '../engine/jobs/runner.js';
import { RegistrySettings } from '../engine/logins/registry-settings.js';
import { applyNixDirSetting, buildersSetting } from '../engine/settings/nix-settings.js';
import type { SecretSealer } from '../engine/logins/secret-keepers.js';
import { NIX_COMMAND_FLAGS, runNix } from '../engine/nix/process.js';
import { PullRegistryService } from '../engine/pull-registry/service.js';
import { StoreLayout } from '../engine/store/layout.js';
import { savedRegistryAccess } from '../engine/team-cache/saved-registry-access.js';
import { openStore, type Store } from '../engine/store/store.js';
import type { Handlers, JobInput, JobKindName } from '../../src-shared/ipc/contract.js';
import { createHandlers } from './handlers.js';
import { composeDeps, type ComposeDeps } from './handlers/compose.js';

export interface EngineServices {
  readonly dataDir: string;
  readonly db: Db;
  readonly runner: JobRunner;
  readonly handlers: Handlers;
  /** The content store, opened on first use. */
  readonly store: () => Promise<Store>;
  /** The pull registry, stopped until Settings or `lamina serve --registry` starts it. */
  readonly pullRegistry: PullRegistryService;
  /** The Images views' opened images; their opens' progress goes to the transports (feedImageOpens). */
  readonly imageSessions: ImageSessions;
  /** Stops the pull registry, interrupts running jobs, then closes the database. */
  readonly close: () => Promise<void>;
}

export interface EngineServicesOptions {
  /** Defaults to laminaHome(). */
  readonly home?: string;
  /** better-sqlite3's binding for a runtime other than Node's (Electron). */
  readonly nativeBinding?: string;
  /** Electron's safeStorage, so registry secrets can be sealed by the OS keychain; absent in `lamina serve`. */
  readonly secretSealer?: SecretSealer;
}

type ContractKinds = JobKinds<{ [K in JobKindName]: JobInput<K> }>;

/** Every kind the contract can start, typed against its input schemas: a mismatch is a compile error. */
function jobKinds(store: () => Promise<Store>, compose: ComposeDeps, registries: RegistrySettings, builders: () => string | undefined): ContractKinds {
  // Sources with credentials are stored redacted; the real ones live here, in memory, for the kinds to hand Nix.
  const sources = new WithheldSources();
  return {
    'nix-build': nixBuildJob(builders, sources),
    'image-build': imageBuildJob(store, builders, undefined, sources, savedRegistryAccess(registries)),
    push: pushJob(store, savedLogins((host) => registries.credentials(host))),
    'package-index': packageIndexJob(() => compose.packages, sources),
  };
}

async function nixVersion(): Promise<string> {
  const result = await runNix('nix', [...NIX_COMMAND_FLAGS, '--version']);
  if (result.exitCode !== 0) {
    throw new LaminaError(`nix --version failed: ${result.stderr.at(-1) ?? 'no message'}; check the Nix installation`, 'nix-failed');
  }
  return result.stdout.trim();
}

export function openEngineServices(options: EngineServicesOptions = {}): EngineServices {
  const dataDir = options.home ?? laminaHome();
  const db = openDatabase(new StoreLayout(dataDir).databaseFile, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  applyNixDirSetting(db);
  // The content store is opened on the first image build, not before: browsing jobs needs none of it.
  let store: Promise<Store> | undefined;
  const storeOnce = (): Promise<Store> =>
    (store ??= openStore(dataDir, { db }).catch((err: unknown) => {
      store = undefined;
      throw err;
    }));
  // Read at each build and each Compose or Plan request, so a change in Settings applies to the next of either, alike.
  const builders = (): string | undefined => buildersSetting(db) ?? undefined;
  const compose = composeDeps(db, storeOnce, builders);
  // One instance: session secrets live in it, and pushes must see the ones Settings took.
  const registries = new RegistrySettings(db, options.secretSealer);
  const runner = new JobRunner(db, jobKinds(storeOnce, compose, registries, builders));
  const pullRegistry = new PullRegistryService({ db, store: storeOnce, runner });
  const imageSessions = new ImageSessions(db);
  return {
    dataDir,
    db,
    runner,
    handlers: createHandlers({ runner, dataDir, version, nixVersion, compose, db, registries, store: storeOnce, pullRegistry, imageSessions }),
    store: storeOnce,
    pullRegistry,
    imageSessions,
    close: async () => {
      await pullRegistry.stop();
      await runner.close();
      (await store?.catch(() => undefined))?.close();
      db.close();
    },
  };
}
