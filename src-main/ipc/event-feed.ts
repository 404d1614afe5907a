import type { ImageSessions } from '../engine/inspect/image-sessions.js';
import type { JobRunner } from '../engine/jobs/runner.js';
import type { EventChannel, EventPayload } from '../../src-shared/ipc/contract.js';

/** Sends one event to whoever a transport serves (windows, sockets). */
export type EventSink = <E extends EventChannel>(channel: E, payload: EventPayload<E>) => void;

/** Turns the engine's events into the contract's event channels; returns the unsubscribe. */
export function feedEvents(runner: JobRunner, sink: EventSink): () => void {
  return runner.subscribe((event) => {
    if (event.type === 'state') sink('job:state', event.job);
    else sink('job:log', { jobId: event.jobId, lines: event.lines });
  });
}

/** The Images views' opens: their reading progress as `images:open-progress`; returns the unsubscribe. */
export function feedImageOpens(sessions: ImageSessions, sink: EventSink): () => void {
  return sessions.subscribe((progress) => sink('images:open-progress', progress));
}
