import type { JobEvent } from '../../../src-shared/jobs.js';

export interface JobContext {
  /** Report a log line, a phase or progress; cheap to call per line. */
  readonly emit: (event: JobEvent) => void;
  /** Aborted when the user cancels the job or the process quits. */
  readonly signal: AbortSignal;
}

/**
 * A kind of job: a named function of (input, context). The runner knows nothing
 * else about it, so builds, pushes and anything later are run, stored, streamed
 * and cancelled the same way.
 */
export interface JobKind<Input> {
  /** One line a person recognises the job by, shown in lists. */
  readonly title: (input: Input) => string;
  /** Resolves to the job's result (stored as JSON), rejects to fail it. */
  readonly run: (input: Input, context: JobContext) => Promise<unknown>;
  /**
   * The input as it may be stored in lamina.db and shown (secrets withheld);
   * `run` gets this stored form too, so a retry runs exactly what a first run did.
   */
  readonly storedInput?: (input: Input) => unknown;
}

/** Job kinds by name; the input types are checked where the kinds are wired. */
export type JobKinds<Inputs extends Record<string, unknown>> = { readonly [K in keyof Inputs]: JobKind<Inputs[K]> };
