// Grounded chat: the caller's threads, a thread's messages, and a question whose answer streams in from its
// CHAT job's event stream (read with fetch, the token in the Authorization header, resumed with Last-Event-ID
// after a dropped connection). The answer's [n] markers and its passage list are buttons that show the cited
// passage and its document.
import {h, when} from '../dom.js';
import {followJob} from '../sse.js';
import {reporting, showProblem} from '../problems.js';

const THREADS = '/api/v1/conversations';
const CITE = /\[(\d+)\]/g;

export const chat = {
  id: 'chat',
  title: 'Chat',
  render(root, {api, signal}) {
    let current = null; // the open thread
    const threadList = h('ul', {id: 'threads', class: 'threads', 'aria-label': 'Threads'});
    const titleFilter = h('input', {id: 'thread-filter', type: 'search', placeholder: 'title contains'});
    const newTitle = h('input', {id: 'thread-title', name: 'title', maxlength: 500, placeholder: 'New conversation'});
    const newCollections = h('input', {id: 'thread-collections', name: 'collections', placeholder: 'all collections'});
    const createForm = h('form', {class: 'card', 'aria-label': 'New thread'},
      h('label', {for: 'thread-title'}, 'Title', newTitle),
      h('label', {for: 'thread-collections'}, 'Collections (comma-separated)', newCollections),
      h('div', {class: 'actions'}, h('button', {type: 'submit'}, 'New thread')));
    const heading = h('h2', {id: 'thread-heading'}, 'No thread open');
    const log = h('div', {id: 'messages', class: 'messages', 'aria-live': 'polite'});
    const question = h('textarea', {id: 'question', name: 'content', rows: 3, required: true,
      placeholder: 'Ask about your documents'});
    const send = h('button', {type: 'submit', disabled: true}, 'Send');
    const askForm = h('form', {class: 'ask', 'aria-label': 'Ask'},
      h('label', {for: 'question'}, 'Question', question), h('div', {class: 'actions'}, send));
    const passage = h('aside', {id: 'passage', class: 'card passage', 'aria-label': 'Cited passage', hidden: true});

    async function loadThreads() {
      const page = await reporting(() => api.get(THREADS, {query: {q: titleFilter.value.trim(), limit: 50}, signal}));
      if (!page) return;
      threadList.replaceChildren(...(page.threads.length ? page.threads.map(threadItem)
        : [h('li', {class: 'empty'}, 'No threads yet.')]));
    }

    function threadItem(thread) {
      return h('li', {'data-thread': thread.id, 'aria-current': current?.id === thread.id ? 'true' : null},
        h('button', {type: 'button', class: 'link', onclick: () => open(thread)}, thread.title),
        h('span', {class: 'hit-meta'}, when(thread.updatedAt)));
    }

    async function open(thread) {
      current = thread;
      passage.hidden = true;
      heading.textContent = thread.title;
      send.disabled = false;
      for (const item of threadList.children) {
        if (item.dataset.thread === thread.id) item.setAttribute('aria-current', 'true');
        else item.removeAttribute('aria-current');
      }
      const page = await reporting(() => api.get(`${THREADS}/${thread.id}/messages`, {query: {limit: 100}, signal}));
      if (!page || current !== thread) return;
      log.replaceChildren();
      const answered = new Set(page.messages.filter((m) => m.role === 'assistant' && m.jobId).map((m) => m.jobId));
      for (const message of page.messages) {
        if (message.role === 'assistant') {
          const bubble = answerBubble(message.metadata?.citations ?? []);
          bubble.text(message.content);
          bubble.done(message.metadata);
          log.append(bubble.element);
        } else {
          log.append(userBubble(message));
          // An answer still being written (this screen was left, or the tab reloaded): follow its job again.
          if (message.role === 'user' && message.jobId && !answered.has(message.jobId)) stream(message.jobId);
        }
      }
    }

    function answerBubble(citations) {
      const body = h('div', {class: 'answer-text'});
      const sources = h('ol', {class: 'citations', 'aria-label': 'Cited passages'});
      const meta = h('div', {class: 'hit-meta answer-meta'}, 'answering…');
      const element = h('article', {class: 'message assistant'}, h('div', {class: 'role'}, 'assistant'), body, sources, meta);
      let cited = [];
      let text = '';
      const bubble = {
        element,
        citations(list) {
          cited = list;
          sources.replaceChildren(...list.map((c) => h('li', {},
            h('button', {type: 'button', class: 'link cite', 'data-citation': c.number, onclick: () => show(c)},
              `[${c.number}] ${c.title ?? 'untitled'} · chunk ${c.ordinal}`))));
          bubble.text(text);
        },
        text(value) {
          text = value;
          body.replaceChildren(...withMarkers(value, (n) => cited.find((c) => c.number === n)));
        },
        append(delta) {
          bubble.text(text + delta);
        },
        done(metadata) {
          element.dataset.done = 'true';
          meta.textContent = describe(metadata);
        },
        failed(reason) {
          element.dataset.done = 'failed';
          meta.textContent = reason;
        },
      };
      bubble.citations(citations);
      return bubble;
    }

    /** The answer's text, each [n] that names a citation a button showing it. */
    function withMarkers(value, citationOf) {
      const nodes = [];
      let last = 0;
      for (const match of value.matchAll(CITE)) {
        const citation = citationOf(Number(match[1]));
        if (!citation) continue;
        nodes.push(value.slice(last, match.index));
        nodes.push(h('button', {type: 'button', class: 'link marker', title: citation.title ?? '',
          'aria-label': `Show passage ${citation.number}`, onclick: () => show(citation)}, match[0]));
        last = match.index + match[0].length;
      }
      nodes.push(value.slice(last));
      return nodes;
    }

    let clicks = 0; // the pane shows the latest click: a slower earlier one must not add its document

    async function show(citation) {
      const click = ++clicks;
      passage.hidden = false;
      const text = citation.text
        ? h('blockquote', {class: 'passage-text'}, citation.text)
        : h('p', {class: 'note'}, 'The passage\'s text is in the document; its details are below.');
      passage.replaceChildren(h('h3', {}, `[${citation.number}] ${citation.title ?? 'untitled'}`),
        h('div', {class: 'hit-meta'}, [`chunk ${citation.ordinal}`, citation.collection,
          `score ${Number(citation.score).toFixed(4)}`].filter(Boolean).join(' · ')),
        text, h('p', {class: 'hit-meta passage-document mono'}, `document ${citation.documentId}`));
      const document = await reporting(() => api.get(`/api/v1/documents/${citation.documentId}`, {signal}));
      if (!document || click !== clicks) return;
      passage.append(h('dl', {class: 'document'},
        h('dt', {}, 'File'), h('dd', {}, document.filename ?? '—'),
        h('dt', {}, 'Media type'), h('dd', {}, document.mediaType),
        h('dt', {}, 'Status'), h('dd', {}, `${document.status} · ${document.chunkCount} ${document.chunkCount === 1 ? 'chunk' : 'chunks'}`),
        h('dt', {}, 'Uploaded'), h('dd', {}, when(document.createdAt))));
    }

    async function stream(jobId) {
      const threadId = current.id;
      const bubble = answerBubble([]);
      log.append(bubble.element);
      try {
        const end = await followJob(api, jobId, ({type, data}) => {
          if (type !== 'progress') return;
          if (data.step === 'citations') bubble.citations(data.citations ?? []);
          else if (data.step === 'answer' && data.restart) bubble.text('');
          else if (data.step === 'answer' && typeof data.delta === 'string') bubble.append(data.delta);
        }, signal);
        if (end.type === 'succeeded') {
          // The stored answer carries what the stream does not: the model, tokens and cost.
          const page = await reporting(() => api.get(`${THREADS}/${threadId}/messages`, {query: {limit: 100}, signal}));
          const stored = page?.messages.find((m) => m.role === 'assistant' && m.jobId === jobId);
          bubble.done(stored?.metadata);
        } else {
          bubble.failed(`the answer ${end.type.replace('_', ' ')}${end.data?.errorClass ? `: ${end.data.errorClass}` : ''}`);
        }
      } catch (error) {
        if (error?.name !== 'AbortError') {
          bubble.failed('the answer\'s stream failed');
          showProblem(error);
        }
      }
    }

    createForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      const collections = newCollections.value.split(',').map((c) => c.trim()).filter(Boolean);
      const json = {};
      if (newTitle.value.trim()) json.title = newTitle.value.trim();
      if (collections.length) json.collections = collections;
      const thread = await reporting(() => api.post(THREADS, {json, signal}));
      if (!thread) return;
      createForm.reset();
      await loadThreads();
      await open(thread);
    });

    askForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (!current) return;
      const content = question.value;
      const accepted = await reporting(() => api.post(`${THREADS}/${current.id}/chat`, {json: {content}, signal}));
      if (!accepted) return; // the problem (empty message, too long, budget...) is shown; the text stays
      question.value = '';
      log.append(userBubble({role: 'user', content, createdAt: new Date().toISOString()}));
      stream(accepted.jobId);
    });

    titleFilter.addEventListener('input', () => loadThreads());

    root.append(h('h1', {}, 'Chat'),
      h('div', {class: 'chat'},
        h('section', {class: 'thread-pane'}, createForm,
          h('label', {for: 'thread-filter'}, 'Find a thread', titleFilter), threadList),
        h('section', {class: 'card conversation'}, heading, log, askForm),
        passage));
    loadThreads();
  },
};

function userBubble(message) {
  return h('article', {class: `message ${message.role}`},
    h('div', {class: 'role'}, message.role, ' ', h('span', {class: 'hit-meta'}, when(message.createdAt))),
    h('div', {class: 'answer-text'}, message.content));
}

/** Who answered and what it cost, from the stored answer's metadata. */
function describe(metadata) {
  if (!metadata) return 'answered';
  const who = metadata.extractive ? 'extractive answer (no language model configured)'
    : `${metadata.provider}/${metadata.model}`;
  const tokens = metadata.extractive ? null : `${metadata.inputTokens} in / ${metadata.outputTokens} out tokens`;
  const cost = metadata.costUsd > 0 ? `$${Number(metadata.costUsd).toFixed(6)}` : null;
  return [who, tokens, cost].filter(Boolean).join(' · ');
}
