/**
 * The one contract between the engine and the UI: every request channel (its
 * input schema and result type) and every event channel (its payload type).
 * Both transports (Electron IPC, the WebSocket of `lamina serve`) and the
 * renderer's client are typed against this file, so they cannot drift.
 * No Node imports: the renderer type-checks this file too.
 */
import { z } from 'zod';
import type { ClosurePreview, PlanView, WhyChain } from '../plan.js';
import type { JobSummary, LogLine } from '../jobs.js';
import { SECRET_KEEPS, type RegistryEntry, type SecretKeepChoices } from '../logins.js';
import type { NixFacts } from '../settings.js';
import { DEFAULT_STRATEGY, STRATEGY_NAMES, unknownStrategyMessage } from '../strategies.js';
import { DEFAULT_COMPRESSION, LAYER_COMPRESSIONS } from '../compressions.js';
import { DEFAULT_MAX_LAYERS } from '../layer-budget.js';
import type { BuildCacheUse, CacheSummary } from '../cache-stats.js';
import type { GcPreview, GcReport } from '../gc.js';
import type { FileTreeNode, ImageComparison, OpenedImage, OpenProgress, StoreImageEntry, TreemapNode } from '../images.js';
import type { IndexedSource, PackageHit } from '../packages.js';
import type { RecipeListing, SavedRecipe } from '../recipes.js';
import type { PullRegistryStatus } from '../pull-registry.js';
import type { EventChannel, RequestChannel } from './channels.js';

export { EVENT_CHANNELS, isEventChannel, isRequestChannel, REQUEST_CHANNELS, type EventChannel, type RequestChannel } from './channels.js';

/** A request channel: its input schema; the result type rides along as a type only. */
interface RequestSpec<Input extends z.ZodType, Result> {
  readonly input: Input;
  readonly result?: Result;
}

function request<Input extends z.ZodType>(input: Input): { returns<Result>(): RequestSpec<Input, Result> } {
  return { returns: () => ({ input }) };
}

interface EventSpec<Payload> {
  readonly payload?: Payload;
}

function event<Payload>(): EventSpec<Payload> {
  return {};
}

export interface AppInfo {
  readonly version: string;
  /** The data dir the app and the CLI share (LAMINA_HOME, else the platform's). */
  readonly dataDir: string;
  /** `nix --version`, or why Nix could not be run. */
  readonly nix: { readonly version: string } | { readonly error: string };
  readonly platform: string;
  /** The job kinds this engine can run. */
  readonly jobKinds: readonly string[];
}

const jobId = z.number({ error: 'a job id is a number' }).int().positive();

const source = z.string().trim().min(1, 'give a package source: a folder or file with default.nix, <nixpkgs>, or a flake');
const attrs = z
  .array(z.string().trim().min(1, 'an attribute name cannot be empty'))
  .min(1, 'name at least one attribute to build, e.g. bash');

const strategy = z.enum(STRATEGY_NAMES, { error: unknownStrategyMessage() }).default(DEFAULT_STRATEGY);
// The range is checked by the engine's recipe check (a build's and a preview's alike), which says what is allowed.
const maxLayers = z.number().int().default(DEFAULT_MAX_LAYERS);
const compression = z.enum(LAYER_COMPRESSIONS).default(DEFAULT_COMPRESSION);

const runtimeConfig = z.object({
  entrypoint: z.array(z.string()).optional(),
  cmd: z.array(z.string()).optional(),
  env: z.union([z.array(z.string()), z.record(z.string(), z.string())]).optional(),
  workingDir: z.string().optional(),
  user: z.string().optional(),
  exposedPorts: z.array(z.string()).optional(),
  labels: z.record(z.string(), z.string()).optional(),
});

/** The inputs of every job kind the UI can start, checked before a job exists. */
export const jobInputs = {
  'nix-build': z.object({ source, attrs }),
  'image-build': z.object({
    source,
    attrs,
    strategy,
    maxLayers,
    compression,
    system: z.string().optional(),
    config: runtimeConfig.default({}),
    name: z.string().trim().min(1).optional(),
    allowMissingEntrypoint: z.boolean().optional(),
    /** A registry host whose team cache (Settings) the build reads and writes. */
    teamCacheRegistry: z.string().trim().min(1).optional(),
  }),
  push: z.object({
    image: z.string().trim().min(1, 'name the image to push: build one first, or pick one from the store'),
    target: z.string().trim().min(1, 'give a target like 127.0.0.1:5000/team/app:1.0'),
    tlsVerify: z.boolean().default(true),
    credentials: z.enum(['auto', 'anonymous']).default('auto'),
  }),
  'package-index': z.object({ source, force: z.boolean().default(false) }),
};

/** What Compose edits and saves: an image-build input whose package list may still be empty. */
const composeRecipe = jobInputs['image-build'].extend({ attrs: z.array(z.string().trim().min(1)) });
export type ComposeRecipe = z.output<typeof composeRecipe>;
const recipeId = z.number({ error: 'a recipe id is a number' }).int().positive();
const planInput = z.object({
  source,
  attrs,
  strategy,
  maxLayers,
  compression,
});

export type JobKindName = keyof typeof jobInputs;
export type JobInput<K extends JobKindName> = z.output<(typeof jobInputs)[K]>;

const startJob = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('nix-build'), input: jobInputs['nix-build'] }),
    z.object({ kind: z.literal('image-build'), input: jobInputs['image-build'] }),
    z.object({ kind: z.literal('push'), input: jobInputs.push }),
    z.object({ kind: z.literal('package-index'), input: jobInputs['package-index'] }),
  ],
  { error: `not a job kind Lamina knows; use one of ${Object.keys(jobInputs).join(', ')}` },
);

const imageRef = z.string().trim().min(1, 'give an image: docker://HOST/REPO:TAG, oci:DIR[:TAG] or docker-archive:FILE');
const openedId = z.string().min(1, 'open an image first');
const openIdInput = z.string().min(1).max(100, 'an open id is at most 100 characters');

export const requests = {
  'app:info': request(z.object({})).returns<AppInfo>(),
  'jobs:list': request(z.object({ limit: z.number().int().min(1).max(1000).optional() })).returns<JobSummary[]>(),
  'jobs:get': request(z.object({ id: jobId })).returns<JobSummary>(),
  /** Stored log lines after seq `after`; lines still arriving come as `job:log` events. */
  'jobs:log': request(
    z.object({ id: jobId, after: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(50_000).default(5000) }),
  ).returns<LogLine[]>(),
  'jobs:start': request(startJob).returns<JobSummary>(),
  'jobs:cancel': request(z.object({ id: jobId })).returns<JobSummary>(),
  /** Starts a new job with the kind and input of an earlier one. */
  'jobs:retry': request(z.object({ id: jobId })).returns<JobSummary>(),
  /** The source's current index, or null when it needs loading (a `package-index` job). */
  'packages:status': request(z.object({ source })).returns<{ indexed: IndexedSource | null }>(),
  'packages:search': request(z.object({ source, query: z.string(), limit: z.number().int().min(1).max(1000).default(200) })).returns<PackageHit[]>(),
  /** Builds the packages (once) and sizes their runtime closure. */
  'compose:closure': request(z.object({ source, attrs })).returns<ClosurePreview>(),
  'plan:view': request(planInput).returns<PlanView>(),
  'plan:why': request(z.object({ source, attrs, path: z.string().min(1, 'pick a store path') })).returns<WhyChain[]>(),
  'recipes:list': request(z.object({})).returns<RecipeListing[]>(),
  'recipes:get': request(z.object({ id: recipeId })).returns<SavedRecipe<ComposeRecipe>>(),
  'recipes:save': request(z.object({ name: z.string().trim().min(1, 'give the recipe a name'), body: composeRecipe })).returns<SavedRecipe<ComposeRecipe>>(),
  /** Answers the recipes left. */
  'recipes:delete': request(z.object({ id: recipeId })).returns<RecipeListing[]>(),
  /** Registries set up in Settings: host, user and whether a secret is there to use; never the secret. */
  'registries:list': request(z.object({})).returns<RegistryEntry[]>(),
  /** Where this process can keep a secret (safeStorage only in the desktop app; helpers found on PATH). */
  'registries:choices': request(z.object({})).returns<SecretKeepChoices>(),
  'registries:save': request(
    z.object({
      host: z.string().trim().min(1, 'give the registry host, e.g. ghcr.io or localhost:5000'),
      username: z.string().trim().min(1, 'give the user name for the registry'),
      secret: z.string().min(1, 'give the password or token for the registry'),
      keep: z.enum(SECRET_KEEPS, { error: `keep the secret in one of: ${SECRET_KEEPS.join(', ')}` }),
      helper: z.string().trim().min(1).optional(),
      tlsVerify: z.boolean().default(true),
    }),
  ).returns<RegistryEntry>(),
  /** Answers the registries left. */
  'registries:remove': request(z.object({ host: z.string().trim().min(1, 'name the registry host to remove') })).returns<RegistryEntry[]>(),
  'settings:nix': request(z.object({})).returns<NixFacts>(),
  /** null goes back to the builders of Nix's own configuration. */
  'settings:set-builders': request(z.object({ builders: z.string().nullable() })).returns<NixFacts>(),
  /** The folder searched for Nix's programs before PATH; null goes back to PATH and the usual install places. */
  'settings:set-nix-dir': request(z.object({ dir: z.string().trim().min(1, "give the folder that holds Nix's programs").nullable() })).returns<NixFacts>(),
  'cache:summary': request(z.object({})).returns<CacheSummary>(),
  /** Cache use per finished image-build job, oldest first (builds by `lamina build` in a terminal are not jobs). */
  'cache:history': request(z.object({ limit: z.number().int().min(1).max(5000).default(200) })).returns<BuildCacheUse[]>(),
  /** What gc would remove (a dry run); maxSize in bytes, absent: only what no image uses. */
  'cache:gc-preview': request(
    z.object({ maxSize: z.number({ error: 'the size budget is a number of bytes' }).int().min(0).optional(), keepNewest: z.boolean().default(true) }),
  ).returns<GcPreview>(),
  /** keepNewest (the default): the most recently built image stays, even over the budget. */
  'cache:gc': request(
    z.object({ maxSize: z.number({ error: 'the size budget is a number of bytes' }).int().min(0).optional(), keepNewest: z.boolean().default(true) }),
  ).returns<GcReport>(),
  /** Images in the local store, each with the oci: reference that opens it. */
  'images:store': request(z.object({})).returns<StoreImageEntry[]>(),
  'images:catalog': request(z.object({ registry: z.string().trim().min(1, 'give the registry host, e.g. localhost:5000'), tlsVerify: z.boolean().default(true) })).returns<string[]>(),
  'images:tags': request(z.object({ repository: z.string().trim().min(1, 'give the repository, e.g. localhost:5000/team/app'), tlsVerify: z.boolean().default(true) })).returns<string[]>(),
  /** OS/ARCH[/VARIANT] of each image a reference offers (several for a multi-platform index). */
  'images:platforms': request(z.object({ ref: imageRef, tlsVerify: z.boolean().default(true) })).returns<string[]>(),
  /** With `openId` (the page's own name for this open), progress comes as `images:open-progress` and `images:cancel-open` stops it. */
  'images:open': request(z.object({ ref: imageRef, platform: z.string().optional(), tlsVerify: z.boolean().default(true), openId: openIdInput.optional() })).returns<OpenedImage>(),
  'images:tree': request(
    z.object({ id: openedId, layer: z.number().int().min(0), sort: z.enum(['name', 'size']).default('name'), filter: z.string().optional() }),
  ).returns<FileTreeNode>(),
  'images:treemap': request(z.object({ id: openedId })).returns<TreemapNode>(),
  'images:compare': request(z.object({ a: openedId, b: openedId })).returns<ImageComparison>(),
  /** Frees an opened image's report; `closed` is false when it was already gone. */
  'images:close': request(z.object({ id: openedId })).returns<{ closed: boolean }>(),
  /** The pull registry (`lamina serve --registry` inside the app): running or not, its address, the source of tag latest. */
  'pull-registry:status': request(z.object({})).returns<PullRegistryStatus>(),
  /** Starts it on 127.0.0.1 (port 0: any free one); starting a running one answers its status. */
  'pull-registry:start': request(z.object({ port: z.number({ error: 'a port is a number' }).int().min(0).max(65535).default(0) })).returns<PullRegistryStatus>(),
  'pull-registry:stop': request(z.object({})).returns<PullRegistryStatus>(),
  /** The default source (tag latest); null clears it. */
  'pull-registry:set-source': request(z.object({ source: z.string().nullable() })).returns<PullRegistryStatus>(),
  /** Names a registry's team cache (docker://HOST/REPO[:TAG] on that host), or with null none; answers the registries. */
  'registries:set-team-cache': request(
    z.object({ host: z.string().trim().min(1, 'name the registry host'), teamCache: z.string().trim().max(512).nullable() }),
  ).returns<RegistryEntry[]>(),
  /** Stops an open started with that `openId`: it answers the error code `cancelled` and keeps no half-read layer index. */
  'images:cancel-open': request(z.object({ openId: openIdInput })).returns<{ cancelled: boolean }>(),
} satisfies Record<RequestChannel, RequestSpec<z.ZodType, unknown>>;

export const events = {
  /** A job was created or changed state, phase or progress. */
  'job:state': event<JobSummary>(),
  /** New log lines of a running job, in seq order. */
  'job:log': event<{ readonly jobId: number; readonly lines: readonly LogLine[] }>(),
  /** How far an `images:open` given an `openId` has read: compressed layer bytes and layers, of the manifest's totals. */
  'images:open-progress': event<OpenProgress>(),
} satisfies Record<EventChannel, EventSpec<unknown>>;

export type RequestInput<C extends RequestChannel> = z.input<(typeof requests)[C]['input']>;
/** The input after validation (defaults filled in): what a handler receives. */
export type ValidInput<C extends RequestChannel> = z.output<(typeof requests)[C]['input']>;
export type RequestResult<C extends RequestChannel> = NonNullable<(typeof requests)[C]['result']>;
export type EventPayload<E extends EventChannel> = NonNullable<(typeof events)[E]['payload']>;

/** An error a person can act on; `code` is stable for programs. */
export interface ApiError {
  readonly message: string;
  readonly code: string;
}

/** What every handler answers, on every transport. */
export type Reply<C extends RequestChannel> = { readonly result: RequestResult<C> } | { readonly error: ApiError };

/** The engine side: one function per request channel (a missing one is a compile error). */
export type Handlers = {
  readonly [C in RequestChannel]: (input: ValidInput<C>) => Promise<RequestResult<C>> | RequestResult<C>;
};
