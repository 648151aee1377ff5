// Hybrid search with the endpoint's modes and filters; snippets show the query's words highlighted.
import {h, snippetNodes, when} from '../dom.js';
import {reporting} from '../problems.js';

export const search = {
  id: 'search',
  title: 'Search',
  render(root, {api, signal}) {
    const field = (id, label, {options, wide, ...attributes} = {}) => {
      const input = h(options ? 'select' : 'input', {id, name: id, ...attributes},
        (options ?? []).map(([value, text]) => h('option', {value}, text)));
      return {input, label: h('label', {for: id, class: wide ? 'wide' : null}, label, input)};
    };
    const q = field('q', 'Query', {required: true, wide: true, type: 'search', maxlength: 8000,
      placeholder: 'rank fusion, "a phrase", +required -excluded'});
    const fields = [
      field('mode', 'Mode', {options: [['hybrid', 'hybrid'], ['keyword', 'keyword (BM25)'], ['vector', 'vector']]}),
      field('k', 'Results', {type: 'number', min: 1, max: 100, value: 10}),
      field('collection', 'Collection'),
      field('tags', 'Tags (all of)', {placeholder: 'intro, faq'}),
      field('source', 'Source'),
      field('mediaType', 'Media type', {placeholder: 'application/pdf'}),
      field('createdFrom', 'Uploaded from', {type: 'date'}),
      field('createdTo', 'Uploaded before', {type: 'date'}),
      field('scope', 'Documents', {options: [['all', 'the tenant\'s'], ['mine', 'mine only']]}),
      field('halfLife', 'Time decay half-life', {placeholder: 'P30D'}),
    ];
    const results = h('div', {id: 'results'});
    const form = h('form', {class: 'card', role: 'search'},
      h('div', {class: 'grid'}, q.label, fields.map((f) => f.label)),
      h('div', {class: 'actions'}, h('button', {type: 'submit'}, 'Search')));

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const query = {q: q.input.value};
      for (const {input} of fields) query[input.name] = input.value.trim();
      if (query.scope === 'all') delete query.scope;
      if (query.mode === 'hybrid') delete query.mode;
      const found = await reporting(() => api.get('/api/v1/search', {query, signal}));
      if (found) results.replaceChildren(...render(found));
    });
    root.append(h('h1', {}, 'Search'), form, results);
  },
};

function render(found) {
  const summary = h('p', {class: 'summary'},
    `${found.hits.length} ${found.hits.length === 1 ? 'hit' : 'hits'} for “${found.query}” · ${found.mode}`
    + (found.embeddingVersion ? ` · ${found.embeddingVersion}` : ''));
  if (!found.hits.length) return [summary, h('p', {class: 'empty'}, 'Nothing matches.')];
  return [summary, ...found.hits.map((hit) => h('article', {class: 'hit', 'data-document': hit.documentId},
    h('div', {class: 'hit-head'},
      h('span', {class: 'hit-title'}, hit.title ?? 'untitled', ' ',
        h('span', {class: 'hit-meta'}, `chunk ${hit.ordinal}`)),
      h('span', {class: 'hit-meta'}, `score ${hit.score.toFixed(4)}`
        + (hit.keywordRank ? ` · keyword #${hit.keywordRank}` : '')
        + (hit.vectorRank ? ` · vector #${hit.vectorRank}` : ''))),
    h('div', {class: 'hit-meta'},
      [hit.collection, hit.mediaType, hit.reliability, when(hit.publishedAt ?? hit.createdAt)].filter(Boolean).join(' · '),
      (hit.tags ?? []).map((tag) => h('span', {class: 'tag'}, tag))),
    h('p', {class: 'snippet'}, snippetNodes(hit.snippet))))];
}
