// The tenant's jobs, newest first, with their progress; unfinished ones can be cancelled.
import {h, meter, pagedRows, when} from '../dom.js';
import {reporting} from '../problems.js';

const STATUSES = ['QUEUED', 'RUNNING', 'RETRY_SCHEDULED', 'CANCEL_REQUESTED', 'SUCCEEDED', 'FAILED', 'CANCELLED',
  'DEAD_LETTERED'];
const CANCELLABLE = new Set(['QUEUED', 'RUNNING', 'RETRY_SCHEDULED']);

export const jobs = {
  id: 'jobs',
  title: 'Jobs',
  render(root, {api, signal}) {
    const status = h('select', {id: 'job-status', name: 'status'},
      h('option', {value: ''}, 'any'), STATUSES.map((s) => h('option', {value: s}, s)));
    const body = h('tbody');
    const more = h('button', {type: 'button', class: 'secondary', hidden: true}, 'Load more');
    const load = pagedRows({body, more, columns: 7, empty: 'No jobs.', row: (job) => row(api, job),
      fetchPage: (cursor) => reporting(() => api.get('/api/v1/jobs',
        {query: {status: status.value, cursor, limit: 20}, signal}))});

    status.addEventListener('change', () => load(false));
    root.append(h('h1', {}, 'Jobs'),
      h('div', {class: 'card'}, h('div', {class: 'actions'},
        h('label', {for: 'job-status'}, 'Status', status),
        h('button', {type: 'button', class: 'secondary', onclick: () => load(false)}, 'Refresh'))),
      h('table', {'aria-label': 'Jobs'},
        h('thead', {}, h('tr', {}, ['Type', 'Status', 'Progress', 'Step', 'Created', 'Job', ''].map((t) => h('th', {}, t)))),
        body),
      h('div', {class: 'actions'}, more));
    load(false);
  },
};

function row(api, job) {
  const tr = h('tr', {'data-job': job.id});
  const fill = (view) => {
    const progress = meter(view.progress?.percent ?? 0);
    const cancel = CANCELLABLE.has(view.status)
      ? h('button', {type: 'button', class: 'danger', 'aria-label': `Cancel job ${view.id}`,
        onclick: async (event) => {
          event.target.disabled = true;
          const cancelled = await reporting(() => api.post(`/api/v1/jobs/${view.id}/cancel`));
          if (cancelled) fill(cancelled);
          else event.target.disabled = false;
        }}, 'Cancel')
      : '';
    tr.replaceChildren(
      h('td', {}, view.type),
      h('td', {}, h('span', {class: `status ${view.status}`}, view.status)),
      h('td', {}, progress.element),
      h('td', {}, view.error ?? view.currentStep ?? ''),
      h('td', {}, when(view.createdAt)),
      h('td', {class: 'mono'}, view.id),
      h('td', {}, cancel));
  };
  fill(job);
  return tr;
}
