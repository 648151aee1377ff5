// Upload files and watch each job's live progress over the job's event stream. The uploads of this tab stay
// listed (and keep streaming) when another screen is open.
import {h, meter} from '../dom.js';
import {followJob} from '../sse.js';
import {reporting, showProblem} from '../problems.js';

const uploads = []; // {element} per file uploaded in this tab, newest first

export const upload = {
  id: 'upload',
  title: 'Upload',
  render(root, {api}) {
    const files = h('input', {id: 'files', type: 'file', name: 'file', multiple: true, required: true});
    const collection = h('input', {id: 'collection', name: 'collection', placeholder: 'docs'});
    const tags = h('input', {id: 'tags', name: 'tags', placeholder: 'intro, faq'});
    const reliability = h('input', {id: 'reliability', name: 'reliability', placeholder: 'official'});
    const list = h('div', {id: 'uploads'});
    const form = h('form', {class: 'card', 'aria-label': 'Upload'},
      h('div', {class: 'grid'},
        h('label', {class: 'wide', for: 'files'}, 'Files (text, Markdown, HTML, PDF, DOCX, images with OCR...)', files),
        h('label', {for: 'collection'}, 'Collection', collection),
        h('label', {for: 'tags'}, 'Tags (comma-separated)', tags),
        h('label', {for: 'reliability'}, 'Reliability', reliability)),
      h('div', {class: 'actions'}, h('button', {type: 'submit'}, 'Upload')));

    const showList = () => list.replaceChildren(...(uploads.length ? uploads.map((u) => u.element)
      : [h('p', {class: 'empty'}, 'Nothing uploaded from this tab yet.')]));

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const metadata = {};
      if (collection.value.trim()) metadata.collection = collection.value.trim();
      const tagList = tags.value.split(',').map((t) => t.trim()).filter(Boolean);
      if (tagList.length) metadata.tags = tagList;
      if (reliability.value.trim()) metadata.reliability = reliability.value.trim();
      const chosen = [...files.files];
      form.reset();
      for (const file of chosen) {
        const item = uploadItem(file.name);
        uploads.unshift(item);
        showList();
        start(api, item, file, metadata);
      }
    });

    root.append(h('h1', {}, 'Upload'), form, h('section', {class: 'card'}, h('h2', {}, 'Uploads'), list));
    showList();
  },
};

function uploadItem(name) {
  const progress = meter(0);
  const status = h('span', {class: 'status'}, 'UPLOADING');
  const step = h('span', {class: 'step'}, '');
  const job = h('span', {class: 'mono job-id'}, '');
  const element = h('div', {class: 'upload-item', 'data-file': name},
    h('span', {class: 'name'}, name), status, progress.element, job, step);
  return {
    element,
    job(id) {
      job.textContent = id;
      element.dataset.job = id;
    },
    status(value) {
      status.textContent = value;
      status.className = `status ${value}`;
    },
    step(text) {
      step.textContent = text;
    },
    progress: progress.update,
  };
}

async function start(api, item, file, metadata) {
  const form = new FormData();
  form.append('file', file, file.name);
  if (Object.keys(metadata).length) {
    form.append('metadata', new Blob([JSON.stringify(metadata)], {type: 'application/json'}));
  }
  const accepted = await reporting(() => api.post('/api/v1/documents', {form}));
  if (!accepted) {
    item.status('REJECTED');
    item.step('see the problem above');
    return;
  }
  item.job(accepted.jobId);
  item.status(accepted.status);
  try {
    await followJob(api, accepted.jobId, (event) => show(item, event));
  } catch (error) {
    if (error?.name !== 'AbortError') showProblem(error);
  }
}

/** One job event on an upload's line. */
function show(item, {type, data}) {
  switch (type) {
    case 'queue_position':
      item.step(`queue position ${data.position}`);
      break;
    case 'queued':
      item.status('QUEUED');
      break;
    case 'started':
      item.status('RUNNING');
      item.step(data.worker ? `started on ${data.worker}` : 'started');
      break;
    case 'progress':
      item.status('RUNNING');
      if (data.total > 0) item.progress((100 * data.done) / data.total);
      item.step(`${data.step ?? ''} ${data.done}/${data.total}`.trim());
      break;
    case 'retrying':
      item.status('RETRY_SCHEDULED');
      item.step(`attempt ${data.attempt} failed (${data.errorClass}); next at ${new Date(data.nextRunAt).toLocaleTimeString()}`);
      break;
    case 'cancel_requested':
      item.status('CANCEL_REQUESTED');
      break;
    case 'succeeded':
      item.status('SUCCEEDED');
      item.progress(100);
      item.step(data.chunkCount != null ? `${data.chunkCount} ${data.chunkCount === 1 ? 'chunk' : 'chunks'} indexed` : 'done');
      break;
    case 'failed':
      item.status('FAILED');
      break;
    case 'cancelled':
      item.status('CANCELLED');
      item.step(data.reason ?? '');
      break;
    case 'dead_lettered':
      item.status('DEAD_LETTERED');
      item.step(`${data.errorClass} (${data.classification}); an admin can requeue it`);
      break;
    default:
      break;
  }
}
