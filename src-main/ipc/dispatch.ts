import type { z } from 'zod';
import { errorLine, isLaminaError } from '../../src-shared/errors.js';
import { isRequestChannel, requests, type Handlers, type Reply, type RequestChannel } from '../../src-shared/ipc/contract.js';

/**
 * One line naming the first thing wrong with an input, e.g. `attrs: name at least
 * one attribute`. The `input` wrapper of a job start is left out: people think
 * of the fields, not the envelope.
 */
function describeIssue(issues: readonly z.core.$ZodIssue[]): string {
  const issue = issues[0];
  if (!issue) return 'the input is not valid';
  const path = issue.path.map(String);
  if (path[0] === 'input' && path.length > 1) path.shift();
  return path.length > 0 ? `${path.join('.')}: ${issue.message}` : issue.message;
}

/**
 * Answers one request from any transport: checks the channel and validates the
 * input at the boundary, runs the handler, and turns every failure into an
 * `{error}` a person can act on. Never throws.
 */
export async function dispatch(handlers: Handlers, channel: unknown, input: unknown): Promise<Reply<RequestChannel>> {
  if (!isRequestChannel(channel)) {
    return { error: { message: `there is no request "${String(channel)}"; the app and engine may be from different versions`, code: 'unknown-channel' } };
  }
  const parsed = requests[channel].input.safeParse(input ?? {});
  if (!parsed.success) {
    return { error: { message: describeIssue(parsed.error.issues), code: 'invalid-input' } };
  }
  try {
    const handler = handlers[channel] as (valid: unknown) => unknown;
    return { result: (await handler(parsed.data)) as never };
  } catch (err) {
    // A LaminaError is for the user; anything else is a bug, so keep its stack for us.
    if (!isLaminaError(err)) console.error(`lamina: ${channel} failed:`, err);
    return { error: { message: errorLine(err), code: isLaminaError(err) ? err.code : 'internal' } };
  }
}
