/**
 * The browser side of the WebSocket transport: a Bridge over one socket. Written
 * against the few socket members browsers and the `ws` package share, so the
 * tests drive this very client against a real server.
 */
import type { Bridge } from './bridge.js';
import type { EventChannel, EventPayload, Reply, RequestChannel, RequestInput } from './contract.js';
import { DISCONNECTED, type WireMessage, type WireRequest } from './ws-protocol.js';

/** What the client needs of a WebSocket (browser `WebSocket` and `ws` both fit). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  addEventListener(type: 'open' | 'close', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

const OPEN = 1;
const CLOSED = 3;

/** `onClose` learns when the socket is gone: every later request answers `disconnected`. */
export function createSocketBridge(socket: SocketLike, onClose?: () => void): Bridge {
  let nextId = 1;
  const pending = new Map<number, (reply: Reply<RequestChannel>) => void>();
  const waiting: string[] = [];
  const listeners = new Map<EventChannel, Set<(payload: never) => void>>();

  socket.addEventListener('open', () => {
    for (const frame of waiting.splice(0)) socket.send(frame);
  });
  socket.addEventListener('close', () => {
    for (const resolve of pending.values()) resolve({ error: DISCONNECTED });
    pending.clear();
    onClose?.();
  });
  socket.addEventListener('message', ({ data }) => {
    const message = JSON.parse(String(data)) as WireMessage;
    if (message.type === 'reply') {
      pending.get(message.id)?.(message.reply);
      pending.delete(message.id);
    } else {
      for (const listener of listeners.get(message.channel) ?? []) listener(message.payload as never);
    }
  });

  return {
    invoke<C extends RequestChannel>(channel: C, input: RequestInput<C>): Promise<Reply<C>> {
      if (socket.readyState === CLOSED) return Promise.resolve({ error: DISCONNECTED });
      const request: WireRequest = { id: nextId++, channel, input };
      const frame = JSON.stringify(request);
      if (socket.readyState === OPEN) socket.send(frame);
      else waiting.push(frame);
      return new Promise((resolve) => pending.set(request.id, resolve as (reply: Reply<RequestChannel>) => void));
    },
    on<E extends EventChannel>(channel: E, listener: (payload: EventPayload<E>) => void): () => void {
      const set = listeners.get(channel) ?? new Set();
      listeners.set(channel, set);
      set.add(listener as (payload: never) => void);
      return () => set.delete(listener as (payload: never) => void);
    },
  };
}
