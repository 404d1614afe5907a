import type { IncomingMessage, Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { errorLine } from '../../src-shared/errors.js';
import type { Handlers } from '../../src-shared/ipc/contract.js';
import { dispatch } from './dispatch.js';
import type { EventSink } from './event-feed.js';
import { API_PATH, type WireMessage, type WireRequest } from '../../src-shared/ipc/ws-protocol.js';

export interface WebSocketTransportOptions {
  readonly handlers: Handlers;
  /** Says why an upgrade request must be refused, or null to accept it. */
  readonly refuse: (request: IncomingMessage) => string | null;
}

export interface WebSocketTransport {
  /** Sends an event to every connected client. */
  readonly sink: EventSink;
  readonly close: () => void;
}

/**
 * The contract over WebSocket on `API_PATH` of an HTTP server: every request is
 * answered through `dispatch`, events go to every open socket. Upgrades that
 * `refuse` names a reason for get a 403 and never become sockets.
 */
export function attachWebSocketTransport(server: Server, options: WebSocketTransportOptions): WebSocketTransport {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1 << 20 });

  server.on('upgrade', (request, socket, head) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const reason = path === API_PATH ? options.refuse(request) : `no socket at ${path}`;
    if (reason !== null) {
      socket.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${reason}\n`);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => serveSocket(ws, options.handlers));
  });

  const send = (ws: WebSocket, message: WireMessage): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  };

  return {
    sink: (channel, payload) => {
      for (const ws of wss.clients) send(ws, { type: 'event', channel, payload });
    },
    close: () => {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };

  function serveSocket(ws: WebSocket, handlers: Handlers): void {
    ws.on('message', (data, isBinary) => {
      let request: WireRequest;
      try {
        if (isBinary) throw new Error('binary frames are not part of the protocol');
        request = JSON.parse(String(data)) as WireRequest;
        if (typeof request.id !== 'number') throw new Error('a request needs a numeric id');
      } catch (err) {
        ws.close(1003, `not a Lamina request: ${errorLine(err)}`.slice(0, 120));
        return;
      }
      void dispatch(handlers, request.channel, request.input).then((reply) => send(ws, { type: 'reply', id: request.id, reply }));
    });
  }
}
