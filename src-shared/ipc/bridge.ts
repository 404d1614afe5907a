/**
 * What a transport carries, and all the preload exposes: send a request, get its
 * reply; listen to an event channel, get an unsubscribe function back. Types only
 * (and the global's name), so the renderer can use it without loading zod.
 */
import type { EventChannel, EventPayload, Reply, RequestChannel, RequestInput } from './contract.js';

export interface Bridge {
  invoke<C extends RequestChannel>(channel: C, input: RequestInput<C>): Promise<Reply<C>>;
  on<E extends EventChannel>(channel: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** The name the preload gives the bridge on `window`. */
export const BRIDGE_GLOBAL = 'laminaBridge';
