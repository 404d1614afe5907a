/**
 * The renderer's own WebSocket client, from Node: e2e tests use it to set up what
 * a view then shows (start jobs, wait for them) through the same contract the
 * page uses, against the same `lamina serve`.
 */
import WebSocket from 'ws';
import { createApi, type Api } from '../src-renderer/src/api/client.js';
import { createSocketBridge, type SocketLike } from '../src-shared/ipc/ws-client.js';
import type { JobSummary } from '../src-shared/jobs.js';

export interface EngineClient {
  readonly api: Api;
  /** Resolves with the job once it has finished, whatever its end state. */
  readonly finished: (job: JobSummary) => Promise<JobSummary>;
  readonly close: () => void;
}

export function connectEngine(serveUrl: string): EngineClient {
  const url = new URL(serveUrl);
  const socket = new WebSocket(`ws://${url.host}/api?token=${url.searchParams.get('token')}`, { headers: { Origin: url.origin } });
  const api = createApi(createSocketBridge(socket as unknown as SocketLike));
  const finished = async (job: JobSummary): Promise<JobSummary> => {
    for (;;) {
      const now = await api.request('jobs:get', { id: job.id });
      if (!['queued', 'running'].includes(now.state)) return now;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
  return { api, finished, close: () => socket.close() };
}
