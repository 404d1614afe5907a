import { join } from 'node:path';
import WebSocket from 'ws';
import { openEngineServices } from '../../src-main/ipc/engine-services.js';
import { feedEvents, feedImageOpens } from '../../src-main/ipc/event-feed.js';
import { startWebServer } from '../../src-main/ipc/web-server.js';
import { createSocketBridge, type SocketLike } from '../../src-shared/ipc/ws-client.js';
import { contractSuite } from './contract-suite.js';

// End to end: a real HTTP server on loopback, a real socket, the renderer's own client.
contractSuite('WebSocket (lamina serve)', async (home) => {
  const services = openEngineServices({ home });
  const server = await startWebServer({ handlers: services.handlers, rendererDir: join(home, 'no-renderer-needed'), port: 0, token: 'contract-suite-token' });
  const stopFeed = feedEvents(services.runner, server.sink);
  const stopOpensFeed = feedImageOpens(services.imageSessions, server.sink);
  const socket = new WebSocket(`ws://127.0.0.1:${server.port}/api?token=contract-suite-token`, { headers: { Origin: server.origin } });
  return {
    bridge: createSocketBridge(socket as unknown as SocketLike),
    close: async () => {
      socket.close();
      stopFeed();
      stopOpensFeed();
      await server.close();
      await services.close();
    },
  };
});
