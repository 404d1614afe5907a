/**
 * Log lines, kept out of React state: a build can print thousands of lines a
 * second. Each job's lines live in a plain array, dense by seq (line n at index
 * n-1); the store only counts changes, and views subscribe to it transiently and
 * re-render at most once per animation frame.
 */
import { create } from 'zustand';
import type { LogLine } from '../../../src-shared/jobs';
import { api } from '../api/api';
import { LogBuffer } from './log-buffer';

interface JobLog {
  readonly buffer: LogBuffer;
  historyLoaded: boolean;
}

const logs = new Map<number, JobLog>();

export const useLogRevision = create<{ revision: number }>()(() => ({ revision: 0 }));

function logOf(jobId: number): JobLog {
  let log = logs.get(jobId);
  if (!log) {
    log = { buffer: new LogBuffer(), historyLoaded: false };
    logs.set(jobId, log);
  }
  return log;
}

function merge(jobId: number, incoming: readonly LogLine[]): void {
  if (logOf(jobId).buffer.add(incoming)) useLogRevision.setState((state) => ({ revision: state.revision + 1 }));
}

export function logLines(jobId: number): readonly LogLine[] {
  return logOf(jobId).buffer.lines;
}

/** Fetches what the engine stored for a job (once), page by page, and merges it with live lines. */
export async function loadLog(jobId: number): Promise<void> {
  const log = logOf(jobId);
  if (log.historyLoaded) return;
  log.historyLoaded = true;
  const pageSize = 5000;
  try {
    for (;;) {
      const page = await api.request('jobs:log', { id: jobId, after: log.buffer.lines.length, limit: pageSize });
      merge(jobId, page);
      if (page.length < pageSize) return;
    }
  } catch (err) {
    log.historyLoaded = false;
    throw err;
  }
}

/** Collects live lines of every job; returns the unsubscribe. */
export function followLogs(): () => void {
  return api.on('job:log', ({ jobId, lines }) => merge(jobId, lines));
}
