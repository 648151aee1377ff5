// Admins: the open dead letters (their tenant's; an operator's: every tenant's), each with a requeue.
import {h, pagedRows, when} from '../dom.js';
import {reporting} from '../problems.js';

const TYPES = ['INGEST', 'REINDEX', 'REINDEX_DOCUMENT', 'EXPORT', 'EXPORT_BULK', 'ERASURE', 'DELETE_DOCUMENTS'];

export const deadLetters = {
  id: 'dead-letters',
  title: 'Dead letters',
  admin: true,
  render(root, {api, signal}) {
    const type = h('select', {id: 'dl-type', name: 'type'},
      h('option', {value: ''}, 'any'), TYPES.map((t) => h('option', {value: t}, t)));
    const errorClass = h('input', {id: 'dl-error-class', name: 'errorClass', placeholder: 'CorruptFile'});
    const body = h('tbody');
    const more = h('button', {type: 'button', class: 'secondary', hidden: true}, 'Load more');
    const load = pagedRows({body, more, columns: 7, empty: 'No open dead letters.', row: (letter) => row(api, letter),
      fetchPage: (cursor) => reporting(() => api.get('/api/v1/admin/dead-letters',
        {query: {type: type.value, errorClass: errorClass.value.trim(), cursor}, signal}))});

    const filters = h('form', {class: 'card'},
      h('div', {class: 'actions'},
        h('label', {for: 'dl-type'}, 'Job type', type),
        h('label', {for: 'dl-error-class'}, 'Error class', errorClass),
        h('button', {type: 'submit', class: 'secondary'}, 'Refresh')));
    filters.addEventListener('submit', (event) => {
      event.preventDefault();
      load(false);
    });
    root.append(h('h1', {}, 'Dead letters'), filters,
      h('table', {'aria-label': 'Dead letters'},
        h('thead', {}, h('tr', {}, ['Type', 'Error', 'Message', 'Attempts', 'Last failed', 'Tenant', '']
          .map((t) => h('th', {}, t)))),
        body),
      h('div', {class: 'actions'}, more));
    load(false);
  },
};

function row(api, letter) {
  const action = h('td');
  const requeue = h('button', {type: 'button', 'aria-label': `Requeue job ${letter.jobId}`,
    onclick: async () => {
      requeue.disabled = true;
      const queued = await reporting(() => api.post(`/api/v1/admin/dead-letters/${letter.id}/requeue`));
      if (queued) action.replaceChildren(h('span', {class: `status ${queued.status}`}, `Requeued: ${queued.status}`));
      else requeue.disabled = false;
    }}, 'Requeue');
  action.append(requeue);
  return h('tr', {'data-job': letter.jobId},
    h('td', {}, letter.jobType),
    h('td', {class: 'mono'}, letter.errorClass),
    h('td', {}, letter.message ?? ''),
    h('td', {}, letter.attempts),
    h('td', {}, when(letter.lastFailedAt)),
    h('td', {}, letter.tenantId),
    action);
}
