/**
 * The contract's channel names alone, without schemas: the sandboxed preload
 * checks names with these and cannot load zod. contract.ts is checked against
 * these lists at compile time, so a name cannot be missing from either.
 */
export const REQUEST_CHANNELS = ['app:info', 'jobs:list', 'jobs:get', 'jobs:log', 'jobs:start', 'jobs:cancel', 'jobs:retry',
  'packages:status', 'packages:search', 'compose:closure', 'plan:view', 'plan:why', 'recipes:list', 'recipes:get', 'recipes:save', 'recipes:delete',
  'registries:list', 'registries:choices', 'registries:save', 'registries:remove', 'settings:nix', 'settings:set-builders', 'settings:set-nix-dir',
  'cache:summary', 'cache:history', 'cache:gc-preview', 'cache:gc',
  'images:store', 'images:catalog', 'images:tags', 'images:platforms', 'images:open', 'images:tree', 'images:treemap', 'images:compare', 'images:close',
  'pull-registry:status', 'pull-registry:start', 'pull-registry:stop', 'pull-registry:set-source',
  'registries:set-team-cache',
  'images:cancel-open'] as const;
export const EVENT_CHANNELS = ['job:state', 'job:log', 'images:open-progress'] as const;

export type RequestChannel = (typeof REQUEST_CHANNELS)[number];
export type EventChannel = (typeof EVENT_CHANNELS)[number];

export function isRequestChannel(value: unknown): value is RequestChannel {
  return (REQUEST_CHANNELS as readonly unknown[]).includes(value);
}

export function isEventChannel(value: unknown): value is EventChannel {
  return (EVENT_CHANNELS as readonly unknown[]).includes(value);
}
