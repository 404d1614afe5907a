/**
 * The WebSocket transport's wire messages (JSON text frames). A request carries an
 * id the reply repeats; events carry their channel. No Node imports: the
 * renderer's client speaks this too.
 */
import type { ApiError, EventChannel, Reply, RequestChannel } from './contract.js';

export interface WireRequest {
  readonly id: number;
  readonly channel: RequestChannel;
  readonly input: unknown;
}

export type WireMessage =
  | { readonly type: 'reply'; readonly id: number; readonly reply: Reply<RequestChannel> }
  | { readonly type: 'event'; readonly channel: EventChannel; readonly payload: unknown };

/** The path of the API socket on the `lamina serve` server. */
export const API_PATH = '/api';

export const DISCONNECTED: ApiError = {
  message: 'the connection to Lamina was lost; check that `lamina serve` is still running, then reload the page',
  code: 'disconnected',
};
