/**
 * Run by the interruption test as a separate process: starts a job that never
 * ends on its own, says so on stdout, and waits to be killed.
 */
import { openDatabase } from '../../src-main/engine/db/database.js';
import { JobRunner } from '../../src-main/engine/jobs/runner.js';
import { untilAborted } from './helpers.js';

const runner = new JobRunner(openDatabase(process.argv[2]!), {
  forever: { title: () => 'forever', run: (_input, { emit, signal }) => (emit({ type: 'log', text: 'started' }), untilAborted(signal)) },
});
const job = runner.start('forever', {});
runner.subscribe((event) => {
  if (event.type === 'log') process.stdout.write(`running ${job.id}\n`);
});
setInterval(() => undefined, 1000);
