import { JobDetail } from '../components/JobDetail';
import { JobList } from '../components/JobList';
import { BuildForm } from '../components/BuildForm';
import { useJobs } from '../store/jobs';

export function JobsView() {
  const selectedId = useJobs((s) => s.selectedId);
  return (
    <div className="jobs-view">
      <BuildForm />
      <div className="jobs-panes">
        <section className="card jobs-list-pane" aria-label="Job history">
          <h2>Jobs</h2>
          <JobList />
        </section>
        <div className="card jobs-detail-pane">
          {selectedId === null ? <p className="muted">Select a job to see its log.</p> : <JobDetail id={selectedId} />}
        </div>
      </div>
    </div>
  );
}
