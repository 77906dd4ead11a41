// The live feed: a WebSocket on /api/v1/events/ws that resumes from the last event id it saw.
// When the socket cannot be opened at all it falls back to polling GET /api/v1/events, and when that
// endpoint is missing too, to asking the page to re-fetch what changed ("refresh").

const POLL_MS = 3000;
const REFRESH_MS = 10000;
const MAX_BACKOFF_MS = 15000;
// Close codes of the event socket (see EventStream on the server).
const CLOSE_AGENT_KILLED = 4403;
const CLOSE_CURSOR_EXPIRED = 4410;
const CLOSE_TOO_MANY = 4429;

export class LiveFeed {
  /**
   * @param api        the Api (for polling and the session's token)
   * @param onEvents   called with a batch of events in id order, never the same id twice
   * @param onState    called with {state: 'connecting'|'live'|'reconnecting'|'polling'|'refresh'|'offline', detail}
   * @param onRefresh  called when only periodic re-fetching is possible
   */
  constructor(api, { onEvents, onState, onRefresh, onResync, onKilled, beforeReconnect }) {
    this.api = api;
    this.onEvents = onEvents;
    this.onState = onState;
    this.onRefresh = onRefresh;
    this.onResync = onResync;
    this.onKilled = onKilled;
    this.beforeReconnect = beforeReconnect || (async () => {});
    this.cursor = 0;
    this.ws = null;
    this.timer = null;
    this.stopped = true;
    this.everOpened = false;
    this.failures = 0;
    this.mode = 'ws';
    this.queue = [];
    this.flushTimer = null;
    this.onOnline = () => { if (!this.stopped && this.mode === 'ws' && !this.ws) this.connectNow(); };
  }

  /** The newest event id that the server says exists now (?after=head means "from now on"). */
  async head() {
    try {
      const page = await this.api.get('/events', { limit: 1 });
      return page.head ?? (page.items.length ? page.items[page.items.length - 1].id : 0);
    } catch (e) {
      if (e.status === 404 || e.status === 405) return null; // no event endpoint on this server
      throw e;
    }
  }

  start(cursor) {
    this.stop();
    this.stopped = false;
    this.cursor = cursor ?? 0;
    window.addEventListener('online', this.onOnline);
    if (cursor === null) {
      this.enterRefresh();
    } else {
      this.mode = 'ws';
      this.connectNow();
    }
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    window.removeEventListener('online', this.onOnline);
    if (this.ws) {
      const ws = this.ws;
      this.ws = null;
      ws.onclose = ws.onerror = ws.onmessage = ws.onopen = null;
      ws.close(1000, 'bye');
    }
  }

  /**
   * Drops the socket as a network failure would and stays away for holdMs (for the browser tests, which
   * check that the page shows the outage and catches up afterwards).
   */
  drop(holdMs = 0) {
    this.holdUntil = Date.now() + holdMs;
    if (this.ws) this.ws.close(4000, 'dropped by client');
  }

  connectNow() {
    clearTimeout(this.timer);
    this.state(this.everOpened ? 'reconnecting' : 'connecting');
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const url = `${scheme}://${location.host}/api/v1/events/ws?after=${this.cursor}`
      + `&access_token=${encodeURIComponent(this.api.session.token)}`;
    let opened = false;
    let ws;
    try {
      ws = new WebSocket(url);
    } catch {
      this.socketFailed(false);
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      opened = true;
      this.everOpened = true;
      this.failures = 0;
      this.mode = 'ws';
      this.state('live');
    };
    ws.onmessage = (message) => this.receive(message.data);
    ws.onerror = () => {}; // onclose follows
    ws.onclose = (close) => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (close.code === CLOSE_AGENT_KILLED) {
        this.stop();
        this.onKilled();
        return;
      }
      if (close.code === CLOSE_CURSOR_EXPIRED) {
        // The events after our cursor were deleted by retention: start again from a fresh load.
        this.stop();
        this.state('reconnecting', 'reloading');
        this.onResync();
        return;
      }
      if (close.code === CLOSE_TOO_MANY) this.failures = Math.max(this.failures, 4);
      this.socketFailed(opened);
    };
  }

  async socketFailed(wasOpen) {
    if (this.stopped) return;
    this.failures++;
    if (!wasOpen && !this.everOpened && this.failures >= 2) {
      // The socket never opened: maybe this server has no WebSocket endpoint. Poll instead.
      this.enterPolling();
      return;
    }
    const backoff = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(this.failures - 1, 4));
    const wait = Math.max(backoff / 2 + Math.random() * backoff / 2, (this.holdUntil || 0) - Date.now());
    this.state('reconnecting', `retrying in ${Math.ceil(wait / 1000)}s`);
    this.timer = setTimeout(async () => {
      if (this.stopped) return;
      try {
        await this.beforeReconnect(); // e.g. renew an expired token
      } catch {
        // try anyway
      }
      if (!this.stopped) this.connectNow();
    }, wait);
  }

  enterPolling() {
    this.mode = 'polling';
    this.state('polling');
    let polls = 0;
    const poll = async () => {
      if (this.stopped) return;
      try {
        for (;;) {
          const page = await this.api.get('/events', { after: this.cursor, limit: 200 });
          this.accept(page.items);
          if (page.items.length < 200) break;
        }
        this.state('polling');
      } catch (e) {
        if (e.status === 404 || e.status === 405) {
          this.enterRefresh();
          return;
        }
        this.state('offline', 'retrying');
      }
      // Every tenth poll, try the WebSocket again: it may have been deployed meanwhile.
      if (++polls % 10 === 0) {
        this.failures = 0;
        this.connectNow();
        return;
      }
      this.timer = setTimeout(poll, POLL_MS);
    };
    poll();
  }

  enterRefresh() {
    this.mode = 'refresh';
    this.state('refresh');
    const tick = async () => {
      if (this.stopped) return;
      try {
        await this.onRefresh();
        this.state('refresh');
      } catch {
        this.state('offline', 'retrying');
      }
      this.timer = setTimeout(tick, REFRESH_MS);
    };
    this.timer = setTimeout(tick, REFRESH_MS);
  }

  receive(text) {
    let message;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    const events = Array.isArray(message) ? message
      : Array.isArray(message.items) ? message.items
        : message.event && typeof message.event === 'object' ? [message.event]
          : [message];
    this.accept(events.filter((e) => e && typeof e.id === 'number' && typeof e.type === 'string'));
  }

  /** Events are applied once and in id order, in batches (one page update per batch). */
  accept(events) {
    for (const event of events) {
      if (event.id <= this.cursor) continue;
      this.cursor = event.id;
      this.queue.push(event);
    }
    if (this.queue.length && !this.flushTimer) {
      this.flushTimer = setTimeout(() => {
        this.flushTimer = null;
        const batch = this.queue;
        this.queue = [];
        this.onEvents(batch);
      }, 30);
    }
  }

  state(state, detail = '') {
    this.onState({ state, detail, mode: this.mode });
  }
}
