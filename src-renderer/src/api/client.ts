/**
 * The renderer's one way to the engine. It wraps whichever Bridge this page has
 * (the preload's under Electron, a WebSocket under `lamina serve`) and nothing in
 * the UI knows or cares which.
 */
import type { Bridge } from '../../../src-shared/ipc/bridge';
import type { ApiError, EventChannel, EventPayload, RequestChannel, RequestInput, RequestResult } from '../../../src-shared/ipc/contract';

export class ApiRequestError extends Error {
  readonly code: string;
  constructor(error: ApiError) {
    super(error.message);
    this.code = error.code;
  }
}

export interface Api {
  /** Resolves to the result, or rejects with an ApiRequestError whose message is for the user. */
  request<C extends RequestChannel>(channel: C, input: RequestInput<C>): Promise<RequestResult<C>>;
  on<E extends EventChannel>(channel: E, listener: (payload: EventPayload<E>) => void): () => void;
}

export function createApi(bridge: Bridge): Api {
  return {
    async request(channel, input) {
      const reply = await bridge.invoke(channel, input);
      if ('error' in reply) throw new ApiRequestError(reply.error);
      return reply.result;
    },
    on: (channel, listener) => bridge.on(channel, listener),
  };
}
