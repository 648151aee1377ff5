-- Queue position (PgJobQueue): the QUEUED jobs before a job, and the run times of the jobs that finished
-- lately, are read every second per open event stream of a queued job; without these they scan all jobs.
create index jobs_queued_order on jobs (created_at, id) where status = 'QUEUED';
create index jobs_succeeded_recently on jobs (finished_at) where status = 'SUCCEEDED';
