// The HTTP side of the dashboard: the session (API key -> access token) and JSON requests.

const STORAGE_KEY = 'olympus.session';
const API = '/api/v1';

export class ApiError extends Error {
  constructor(status, problem) {
    // A validation problem names its fields: "title: must not be blank".
    const fields = (problem?.errors || []).map((e) => `${e.field}: ${e.message}`).join('; ');
    super([problem?.detail || problem?.title || `HTTP ${status}`, fields].filter(Boolean).join(' — '));
    this.status = status;
    this.code = problem?.code || null;
    this.problem = problem || {};
  }
}

/**
 * The signed-in session. The access token (and who it belongs to) is kept in sessionStorage, so a reload
 * keeps the tab signed in until the token expires. The API key itself is kept only in memory, to get a
 * fresh token before the current one expires; after a reload the tab signs in again when the token ends.
 * mode 'key' is the fallback for a server without POST /auth/token: the key itself is the credential.
 */
export class Session {
  constructor() {
    this.data = null;
    this.apiKey = null;
    this.refreshTimer = null;
    this.onExpired = () => {};
    try {
      const stored = JSON.parse(sessionStorage.getItem(STORAGE_KEY));
      if (stored && stored.token && (!stored.expiresAt || stored.expiresAt > Date.now() + 5000)) {
        this.data = stored;
        this.scheduleRefresh();
      }
    } catch {
      sessionStorage.removeItem(STORAGE_KEY);
    }
  }

  get signedIn() { return this.data !== null; }
  get token() { return this.data?.token; }
  get agent() { return this.data?.agent || null; }
  get role() { return this.data?.agent?.role || 'unknown'; }
  get name() { return this.data?.agent?.name || null; }
  get mode() { return this.data?.mode; }

  /**
   * What the role can ever do (or anything, when the role is unknown: the server still decides). The page
   * hides what a role can never do; whether a rule allows it now is the server's answer.
   * comment: anyone but observers; plan: create, edit, assign, retry, dependencies (orchestrators, operators);
   * operate: kill, revive, freeze, requeue (operators); work: move one's own tasks (anyone but observers).
   */
  can(action) {
    const role = this.role;
    if (role === 'unknown') return true;
    switch (action) {
      case 'comment': return role !== 'observer';
      case 'work': return role !== 'observer';
      case 'plan': return role === 'orchestrator' || role === 'operator';
      case 'operate': return role === 'operator';
      case 'plan': return role === 'operator' || role === 'orchestrator';
      default: return false;
    }
  }

  async signIn(apiKey) {
    const response = await fetch(`${API}/auth/token`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${apiKey}`, Accept: 'application/json' },
    });
    if (response.status === 404 || response.status === 405) {
      // No token endpoint on this server (yet): use the key as the bearer credential.
      const agent = await whoAmI(apiKey);
      this.store({ token: apiKey, mode: 'key', expiresAt: null, agent });
      return;
    }
    const body = await readBody(response);
    if (!response.ok) throw new ApiError(response.status, body);
    this.apiKey = apiKey;
    this.store({
      token: body.accessToken,
      mode: 'jwt',
      expiresAt: Date.now() + (body.expiresIn || 900) * 1000,
      agent: body.agent || claims(body.accessToken),
    });
  }

  store(data) {
    this.data = data;
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(data));
    this.scheduleRefresh();
  }

  scheduleRefresh() {
    clearTimeout(this.refreshTimer);
    if (this.mode !== 'jwt' || !this.data.expiresAt) return;
    const left = this.data.expiresAt - Date.now();
    if (this.apiKey) {
      // Renew at 80% of the lifetime while the key is still in memory.
      this.refreshTimer = setTimeout(() => this.renew(), Math.max(1000, left * 0.8));
    } else {
      this.refreshTimer = setTimeout(() => this.expire('Your session has ended; sign in again.'), Math.max(1000, left));
    }
  }

  async renew() {
    try {
      await this.signIn(this.apiKey);
    } catch (e) {
      if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
        this.expire(e.code === 'agent-killed' ? 'This agent has been killed.' : 'Your key is no longer valid.');
      } else {
        this.refreshTimer = setTimeout(() => this.renew(), 15000);
      }
    }
  }

  expire(message) {
    this.signOut();
    this.onExpired(message);
  }

  signOut() {
    clearTimeout(this.refreshTimer);
    this.data = null;
    this.apiKey = null;
    sessionStorage.removeItem(STORAGE_KEY);
  }
}

/** Without a token endpoint, the role is unknown; the page then offers everything and the server decides. */
async function whoAmI(apiKey) {
  const response = await fetch(`${API}/agents?limit=1`, { headers: { Authorization: `Bearer ${apiKey}` } });
  if (!response.ok) throw new ApiError(response.status, await readBody(response));
  return { name: null, role: 'unknown' };
}

/** The claims of a JWT (for display only: the server verifies it). */
function claims(token) {
  try {
    const payload = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    return { name: payload.upn || payload.sub, role: (payload.groups || [])[0] || 'unknown' };
  } catch {
    return { name: null, role: 'unknown' };
  }
}

async function readBody(response) {
  const type = response.headers.get('Content-Type') || '';
  if (response.status === 204) return null;
  if (type.includes('json')) {
    try { return await response.json(); } catch { return null; }
  }
  return null;
}

const sleep = (ms, signal) => new Promise((resolve, reject) => {
  const timer = setTimeout(resolve, ms);
  signal?.addEventListener('abort', () => { clearTimeout(timer); reject(signal.reason); }, { once: true });
});

const ifMatch = (version) => (version === undefined || version === null ? {} : { 'If-Match': `"${version}"` });

/** JSON requests with the session's credential. 401/403 agent-killed end the session. */
export class Api {
  constructor(session) {
    this.session = session;
  }

  async request(method, path, { body, query, signal, headers } = {}) {
    const url = new URL(API + path, location.origin);
    for (const [key, value] of Object.entries(query || {})) {
      if (value !== null && value !== undefined && value !== '') url.searchParams.set(key, value);
    }
    for (let attempt = 0; ; attempt++) {
      const init = {
        method,
        signal,
        headers: { Accept: 'application/json', Authorization: `Bearer ${this.session.token}`, ...headers },
      };
      if (body !== undefined) {
        init.headers['Content-Type'] = 'application/json';
        init.body = JSON.stringify(body);
      }
      const response = await fetch(url, init);
      const data = await readBody(response);
      if (response.ok) return data;
      const error = new ApiError(response.status, data);
      if (response.status === 429 && attempt < 4) {
        // Rate-limited: wait as told and try again.
        const wait = Number(response.headers.get('Retry-After')) || 1;
        await sleep(Math.min(wait, 30) * 1000, signal);
        continue;
      }
      if (response.status === 401) this.session.expire('Your session has ended; sign in again.');
      if (response.status === 403 && error.code === 'agent-killed') this.session.expire('This agent has been killed.');
      throw error;
    }
  }

  get(path, query, signal) { return this.request('GET', path, { query, signal }); }
  post(path, body) { return this.request('POST', path, { body }); }
  delete(path) { return this.request('DELETE', path, {}); }

  /** A write of a task guarded by its version: a stale one is refused with 412 version-conflict. */
  patch(path, body, version) { return this.request('PATCH', path, { body, headers: ifMatch(version) }); }
  put(path, body, version) { return this.request('PUT', path, { body, headers: ifMatch(version) }); }

  /** All pages of a list, page by page (onPage(items) after each); stops at maxItems. */
  async pages(path, query, onPage, { signal, maxItems = Infinity, cursor = null } = {}) {
    let loaded = 0;
    do {
      const page = await this.get(path, { ...query, limit: 200, cursor }, signal);
      loaded += page.items.length;
      cursor = page.nextCursor;
      onPage(page.items, cursor);
    } while (cursor && loaded < maxItems);
    return cursor;
  }
}
