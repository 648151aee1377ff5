// The console is one more API client: the same endpoints, a bearer token, an Idempotency-Key on every mutating
// call, and RFC 9457 problem details for every error.

/** An error answer from the API (or the network), with the problem's title and detail to show. */
export class Problem extends Error {
  constructor({status = 0, type = 'about:blank', title, detail = '', traceId = null}) {
    super(`${title}: ${detail}`);
    this.status = status;
    this.type = type;
    this.title = title;
    this.detail = detail;
    this.traceId = traceId;
  }

  /** The problem an error answer carries; a body that is not problem+json still gets a title and detail. */
  static async of(response) {
    const type = response.headers.get('content-type') ?? '';
    if (type.includes('json')) {
      try {
        const body = await response.json();
        return new Problem({status: response.status, type: body.type, title: body.title ?? `HTTP ${response.status}`,
          detail: body.detail ?? '', traceId: body.traceId ?? null});
      } catch {
        // fall through: an unreadable body
      }
    }
    return new Problem({status: response.status, title: `HTTP ${response.status}`,
      detail: response.statusText || 'the server answered without a problem description'});
  }

  static network(error) {
    return new Problem({title: 'Network error', detail: `the API could not be reached (${error.message})`});
  }
}

/** A random UUID (version 4); crypto.randomUUID exists only on HTTPS pages, getRandomValues everywhere. */
export function idempotencyKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A client for the token that tokenOf() returns; unauthorized() is told of every 401 (an expired token). */
export function createApi(tokenOf, unauthorized = () => {}) {
  async function call(method, path, {query, json, form, signal, headers = {}} = {}) {
    const url = new URL(path, window.location.origin);
    for (const [name, value] of Object.entries(query ?? {})) {
      if (value !== undefined && value !== null && value !== '') url.searchParams.set(name, value);
    }
    const init = {method, signal, headers: {Accept: 'application/json', ...headers}};
    init.headers.Authorization = `Bearer ${tokenOf()}`;
    if (MUTATING.has(method)) init.headers['Idempotency-Key'] = idempotencyKey();
    if (json !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(json);
    } else if (form !== undefined) {
      init.body = form; // the browser sets the multipart boundary
    }
    let response;
    try {
      response = await fetch(url, init);
    } catch (error) {
      if (error.name === 'AbortError') throw error;
      throw Problem.network(error);
    }
    if (!response.ok) {
      const problem = await Problem.of(response);
      if (response.status === 401) unauthorized(problem);
      throw problem;
    }
    if (response.status === 204) return null;
    return response.json();
  }

  return {
    get: (path, options) => call('GET', path, options),
    post: (path, options) => call('POST', path, options),
    put: (path, options) => call('PUT', path, options),
    delete: (path, options) => call('DELETE', path, options),
    token: tokenOf,
  };
}
