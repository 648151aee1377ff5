// Admins: the analytics dashboard (their tenant's figures; an operator's: every tenant's). It reads the
// /api/v1/admin/analytics reports for the chosen days, draws them (charts.js) and refreshes every 30 s.
import {h} from '../dom.js';
import {reporting} from '../problems.js';
import {barChart, pairedBars} from '../charts.js';

const REFRESH_MS = 30_000;
const REPORTS = ['overview', 'users', 'messages', 'tokens', 'api-usage', 'daily-stats'];

export const analytics = {
  id: 'analytics',
  title: 'Analytics',
  admin: true,
  render(root, {api, signal}) {
    useStylesheet();
    const from = h('input', {id: 'an-from', name: 'from', type: 'date', value: day(-29)});
    const to = h('input', {id: 'an-to', name: 'to', type: 'date', value: day(0)});
    const updated = h('p', {class: 'note', 'aria-live': 'polite'});
    const board = h('div', {class: 'analytics'});

    async function load() {
      const query = {from: from.value, to: to.value};
      const reports = await reporting(() => Promise.all(REPORTS.map((name) =>
        api.get(`/api/v1/admin/analytics/${name}`, {query, signal}))));
      if (!reports) return;
      const [overview, users, messages, tokens, usage, daily] = reports;
      board.replaceChildren(figures(overview), charts(messages, usage, daily), tables(users, tokens, usage));
      updated.textContent = `Updated ${new Date().toLocaleTimeString()}; refreshes every 30 s.`;
    }

    const form = h('form', {class: 'card'},
      h('div', {class: 'actions'},
        h('label', {for: 'an-from'}, 'From', from),
        h('label', {for: 'an-to'}, 'To', to),
        h('button', {type: 'submit', class: 'secondary'}, 'Refresh')),
      updated);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      load();
    });
    root.append(h('h1', {}, 'Analytics'), form, board);
    load();
    const timer = setInterval(load, REFRESH_MS);
    return () => clearInterval(timer);
  },
};

function figures(o) {
  const figure = (id, name, value, note) => h('div', {class: 'figure', 'data-figure': id},
    h('span', {class: 'value'}, value), h('span', {class: 'name'}, name), note ? h('span', {class: 'note'}, note) : null);
  return h('section', {class: 'figures', 'aria-label': 'Totals'},
    figure('requests', 'API requests', count(o.requests), `${percent(o.errorRate)} server errors`),
    figure('active-users', 'Active users (24 h)', count(o.activeUsers24h), `${count(o.users)} in the range`),
    figure('conversations', 'Conversations created', count(o.conversationsCreated)),
    figure('messages', 'Messages', count(o.messages)),
    figure('tokens', 'Tokens', count(o.inputTokens + o.outputTokens),
      `${count(o.inputTokens)} in · ${count(o.outputTokens)} out`),
    figure('cost', 'Cost', usd(o.costUsd)));
}

function charts(messages, usage, daily) {
  const requestsPerDay = new Map();
  for (const row of daily.days) requestsPerDay.set(row.day, (requestsPerDay.get(row.day) ?? 0) + row.requests);
  const slowest = usage.endpoints.slice(0, 8).map((e) => ({label: `${e.method} ${e.route}`, a: e.p50Ms, b: e.p95Ms}));
  return h('section', {class: 'charts'},
    panel('Messages per day', barChart({label: 'Messages per day', format: count,
      points: messages.perDay.map((d) => ({label: d.day.slice(5), value: d.messages}))})),
    panel('Requests per day', requestsPerDay.size
      ? barChart({label: 'Requests per day', format: count,
        points: [...requestsPerDay].map(([d, requests]) => ({label: d.slice(5), value: requests}))})
      : h('p', {class: 'empty'}, 'No daily aggregates yet: the workers build them every 15 minutes.')),
    panel('Response times per endpoint (ms), the busiest first', slowest.length
      ? pairedBars({label: 'p50 and p95 per endpoint', names: ['p50', 'p95'], rows: slowest, format: ms})
      : h('p', {class: 'empty'}, 'No requests in the range.'), true));
}

function tables(users, tokens, usage) {
  return h('section', {class: 'tables'},
    table('Endpoints', ['Endpoint', 'Requests', 'Server errors', 'Client errors', 'p50', 'p95'],
      usage.endpoints.map((e) => [`${e.method} ${e.route}`, count(e.requests), percent(e.errorRate),
        percent(e.clientErrorRate), ms(e.p50Ms), ms(e.p95Ms)])),
    table('Most active users', ['User', 'Tenant', 'Requests', 'Questions', 'Last seen'],
      users.mostActive.map((u) => [u.subject, u.tenant, count(u.requests), count(u.messages),
        u.lastSeen ? new Date(u.lastSeen).toLocaleString() : ''])),
    table('Tokens per user', ['User', 'Tenant', 'Answers', 'Tokens in', 'Tokens out', 'Cost'],
      tokens.perUser.map((u) => [u.subject, u.tenant, count(u.answers), count(u.inputTokens), count(u.outputTokens),
        usd(u.costUsd)])),
    table('Tokens per conversation', ['Conversation', 'Owner', 'Messages', 'Tokens in', 'Tokens out', 'Cost'],
      tokens.perConversation.map((c) => [c.conversationId, c.owner, count(c.messages), count(c.inputTokens),
        count(c.outputTokens), usd(c.costUsd)])));
}

function panel(title, content, wide = false) {
  return h('figure', {class: wide ? 'card wide' : 'card'}, h('figcaption', {}, title), content);
}


function table(title, headings, rows) {
  return h('div', {class: 'card'}, h('h2', {}, title),
    h('table', {'aria-label': title},
      h('thead', {}, h('tr', {}, headings.map((t) => h('th', {}, t)))),
      h('tbody', {}, rows.length
        ? rows.map((cells) => h('tr', {}, cells.map((cell, i) => h('td', {class: i === 0 ? 'mono' : null}, cell))))
        : h('tr', {}, h('td', {colspan: headings.length, class: 'empty'}, 'Nothing in the range.')))));
}

/** The dashboard's own stylesheet, linked once (same origin, so the style-src 'self' policy allows it). */
function useStylesheet() {
  if (document.querySelector('link[data-screen="analytics"]')) return;
  document.head.append(h('link', {rel: 'stylesheet', href: 'analytics.css', 'data-screen': 'analytics'}));
}

/** A UTC day as yyyy-mm-dd, offset days from today (the reports count UTC days). */
function day(offset) {
  return new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
}

const count = (n) => Math.round(n ?? 0).toLocaleString('en');
const percent = (rate) => `${((rate ?? 0) * 100).toFixed(1)} %`;
const usd = (n) => `$${(n ?? 0).toFixed(4)}`;
const ms = (n) => (n ?? 0) < 10 ? (n ?? 0).toFixed(2) : Math.round(n).toLocaleString('en');
