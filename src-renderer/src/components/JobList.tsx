import { useJobs } from '../store/jobs';
import { formatTime } from '../format';
import { StateBadge } from './StateBadge';

export function JobList() {
  const order = useJobs((s) => s.order);
  const loadError = useJobs((s) => s.loadError);
  if (loadError) return <p role="alert" className="error">{loadError}</p>;
  if (order.length === 0) return <p className="muted">No jobs yet. Start a build above; it will show here with its log.</p>;
  return (
    <ul className="job-list" aria-label="Jobs">
      {order.map((id) => (
        <JobRow key={id} id={id} />
      ))}
    </ul>
  );
}

function JobRow({ id }: { id: number }) {
  const job = useJobs((s) => s.byId[id]);
  const selected = useJobs((s) => s.selectedId === id);
  const select = useJobs((s) => s.select);
  if (!job) return null;
  return (
    <li>
      <button type="button" className="job-row" aria-current={selected ? 'true' : undefined} onClick={() => select(id)}>
        <span className="job-row-title">
          <span className="job-id">#{job.id}</span> {job.title}
        </span>
        <span className="job-row-meta">
          <StateBadge state={job.state} />
          <span className="muted">{formatTime(job.createdAt)}</span>
        </span>
      </button>
    </li>
  );
}
