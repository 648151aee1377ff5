// Server-Sent Events over fetch. EventSource cannot send an Authorization header, and the API takes the token
// only from that header (never from the URL, where it would end up in logs and browser history), so the
// console reads the stream itself. It resumes with Last-Event-ID after a dropped connection, as EventSource
// would; the API replays exactly the events that were missed.
import {Problem} from './api.js';

const TERMINAL = new Set(['succeeded', 'failed', 'cancelled', 'dead_lettered']);

/** Splits a text stream into SSE events: {id, type, data} with data parsed as JSON when it is JSON. */
export function parseEvents(buffer) {
  const events = [];
  const blocks = buffer.split(/\r?\n\r?\n/);
  const rest = blocks.pop();
  for (const block of blocks) {
    const event = {id: null, type: 'message', data: ''};
    const data = [];
    for (const line of block.split(/\r?\n/)) {
      if (line === '' || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'id') event.id = value;
      else if (field === 'event') event.type = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length === 0 && event.id === null && event.type === 'message') continue; // a heartbeat
    event.data = data.join('\n');
    try {
      event.data = JSON.parse(event.data);
    } catch {
      // plain text data stays a string
    }
    events.push(event);
  }
  return {events, rest};
}

/**
 * Follows a job's events until its terminal event (or until signal aborts), calling onEvent for each.
 * Resolves with the terminal event; rejects with a Problem when the API refuses the stream.
 */
export async function followJob(api, jobId, onEvent, signal) {
  let lastEventId = null;
  for (let attempt = 0; ; attempt++) {
    const headers = {Accept: 'text/event-stream', Authorization: `Bearer ${api.token()}`};
    if (lastEventId !== null) headers['Last-Event-ID'] = lastEventId;
    let response;
    try {
      response = await fetch(`/api/v1/jobs/${encodeURIComponent(jobId)}/events`, {headers, signal});
    } catch (error) {
      if (error.name === 'AbortError') throw error;
      if (attempt >= 5) throw Problem.network(error);
      await pause(Math.min(1000 * 2 ** attempt, 8000), signal);
      continue;
    }
    if (!response.ok) throw await Problem.of(response);
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const {value, done} = await reader.read();
      if (done) break;
      const parsed = parseEvents(buffer + value);
      buffer = parsed.rest;
      for (const event of parsed.events) {
        if (event.id !== null) lastEventId = event.id;
        onEvent(event);
        if (TERMINAL.has(event.type)) {
          reader.cancel().catch(() => {});
          return event;
        }
      }
    }
    // The connection ended before a terminal event: reconnect and resume after the last event seen.
    await pause(500, signal);
  }
}

function pause(ms, signal) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new DOMException('aborted', 'AbortError'));
    }, {once: true});
  });
}
