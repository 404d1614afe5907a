import { useJobLog } from '../store/use-job-log';
import { VirtualLog } from './VirtualLog';

/**
 * A job's log, following the end while the user is at the bottom. Mount it with
 * `key={jobId}` so each job starts from its own state.
 */
export function LogView({ jobId }: { jobId: number }) {
  const { lines, count } = useJobLog(jobId);
  return <VirtualLog lines={lines} count={count} label="Job log" emptyText="No output yet." follow />;
}
