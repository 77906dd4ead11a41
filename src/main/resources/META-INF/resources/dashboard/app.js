// Olympus dashboard: wiring. The URL holds the view, the board's filters and the open task, so every
// view can be shared and survives a reload.

import { $, $$, h, fill, toast, debounce } from './dom.js';
import { Api, ApiError, Session } from './api.js';
import { LiveFeed } from './live.js';
import { Filters } from './store.js';
import { Board } from './board.js';
import { Drawer } from './drawer.js';
import { AgentsPanel, Freeze } from './agents.js';
import { AttentionQueue } from './attention.js';
import { QuestionsInbox } from './questions.js';
import { Velocity } from './velocity.js';
import { WebhooksPanel } from './webhooks.js';
import { TaskForm } from './forms.js';
import { Notices } from './notices.js';
import { UNASSIGNED } from './store.js';
import { wireKeys } from './keys.js';

const VIEWS = ['board', 'attention', 'questions', 'agents', 'velocity', 'webhooks'];
const MESSAGE_KEY = 'olympus.signin-message';
const AGENTS_POLL_MS = 15000;
const REFETCH_BATCH = 8;

const session = new Session();
const api = new Api(session);
let app = null;

session.onExpired = (message) => {
  if (app) app.stop();
  sessionStorage.setItem(MESSAGE_KEY, message);
  location.reload();
};

function showSignIn() {
  $('#app').hidden = true;
  $('#signin').hidden = false;
  document.body.dataset.page = 'signin';
  const message = sessionStorage.getItem(MESSAGE_KEY);
  sessionStorage.removeItem(MESSAGE_KEY);
  $('#signin-error').textContent = message || '';
  $('#signin-key').focus();
}

$('#signin-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const key = $('#signin-key').value.trim();
  const button = $('#signin-submit');
  button.disabled = true;
  $('#signin-error').textContent = '';
  try {
    await session.signIn(key);
    $('#signin-key').value = '';
    $('#signin').hidden = true;
    app = new App();
    app.start();
  } catch (err) {
    $('#signin-error').textContent = err instanceof ApiError
      ? (err.status === 401 ? 'That key is not valid.' : err.code === 'agent-killed' ? 'This agent has been killed.' : err.message)
      : `Could not reach Olympus: ${err.message}`;
  } finally {
    button.disabled = false;
  }
});

class App {
  constructor() {
    this.filters = Filters.fromUrl();
    this.view = null;
    this.agentsTimer = null;
    this.refetchIds = new Set();
    this.lastRefresh = new Date().toISOString();
    this.board = new Board($('#board'), api, { onOpen: (id) => this.openTask(id) });
    this.agents = new AgentsPanel($('#agents'), api, session, {
      onChange: (agents) => this.agentsChanged(agents),
      onOpen: (id) => this.openTask(id),
    });
    const agentList = () => this.agents.agents;
    this.drawer = new Drawer($('#drawer'), api, session, {
      store: this.board.store,
      agents: agentList,
      onNavigate: (id) => this.openTask(id),
      onClose: () => this.setUrl({ task: null }),
    });
    this.notices = new Notices($('#notify-toggle'));
    this.attention = new AttentionQueue($('#attention'), $('#attention-count'), api, {
      onOpen: (id) => this.openTask(id),
      session,
      agentsPanel: this.agents,
      onChange: (items) => {
        this.notices.attention(items);
        this.showTitle();
      },
    });
    this.questions = new QuestionsInbox($('#questions'), $('#questions-count'), api, {
      session,
      onOpen: (id) => this.openTask(id),
      onChange: () => this.showTitle(),
    });
    this.taskForm = new TaskForm(api, {
      store: this.board.store,
      agents: agentList,
      onCreated: (task) => this.applyTasks([task]),
    });
    this.freeze = new Freeze(api, session, $('#freeze-banner'), $('#freeze-toggle'));
    this.freeze.onChange = () => this.showTitle();
    this.velocity = new Velocity($('#velocity'), $('#v-range'), api);
    this.webhooks = new WebhooksPanel($('#webhooks-panel'), api, session);
    this.live = new LiveFeed(api, {
      onEvents: (events) => this.onEvents(events),
      onState: (state) => this.showLive(state),
      onRefresh: () => this.refresh(),
      onResync: () => this.resync(),
      onKilled: () => session.expire('This agent has been killed.'),
      beforeReconnect: () => this.freshToken(),
    });
    this.reloadAgents = debounce(() => this.agents.load().catch(() => {}), 1000);
    this.updateLabels = debounce(() => this.fillLabels(), 5000);
    this.flushRefetch = debounce(() => this.refetch(), 150);
  }

  async start() {
    document.body.dataset.page = 'app';
    $('#app').hidden = false;
    $('#whoami').textContent = session.name ? `${session.name} · ${session.role}` : 'signed in (role unknown)';
    $('#whoami').dataset.role = session.role;
    $('#webhooks-tab').hidden = !session.can('operate');
    this.notice();
    this.wireControls();
    this.applyUrl();
    const results = await Promise.allSettled([
      this.freeze.load(),
      this.agents.load(),
      this.attention.load(),
      this.questions.load(),
      this.startLive(),
    ]);
    for (const r of results) if (r.status === 'rejected' && !(r.reason instanceof ApiError && r.reason.status === 401)) toast(r.reason.message, 'error');
  }

  stop() {
    this.live.stop();
    clearInterval(this.agentsTimer);
  }

  notice() {
    const lines = [];
    if (session.mode === 'key') lines.push('This server has no token endpoint: your API key is used as the credential for this tab.');
    if (session.role === 'worker') lines.push('Live updates cover your own tasks only; reload to see others\' changes.');
    $('#notice').hidden = !lines.length;
    fill($('#notice'), lines.join(' '));
  }

  async startLive() {
    // The cursor is taken before the board loads: events after it are replayed on top of the pages,
    // and the store keeps whichever version of each task is newest.
    const head = await this.live.head();
    this.live.start(head);
    this.fillLabels();
    await this.board.load(this.filters, session.name);
  }

  /** Everything again from a new cursor (the old one expired). */
  async resync() {
    try {
      await Promise.all([this.startLive(), this.attention.load(), this.agents.load()]);
    } catch (e) {
      toast(`Could not reload: ${e.message}`, 'error');
      setTimeout(() => this.resync(), 5000);
    }
  }

  async freshToken() {
    if (session.mode === 'jwt' && session.data.expiresAt - Date.now() < 60000 && session.apiKey) {
      await session.renew();
    }
  }

  wireControls() {
    for (const tab of $$('.tab')) {
      tab.addEventListener('click', (e) => {
        if (e.metaKey || e.ctrlKey || e.shiftKey) return;
        e.preventDefault();
        this.setUrl({ view: tab.dataset.view }, true);
        this.applyUrl();
      });
    }
    const form = $('#filters');
    form.addEventListener('submit', (e) => e.preventDefault());
    for (const select of $$('select', form)) select.addEventListener('change', () => this.filtersChanged());
    const typed = debounce(() => this.filtersChanged(), 300);
    $('#f-label').addEventListener('input', typed);
    $('#f-q').addEventListener('input', typed);
    $('#filters-toggle').addEventListener('click', () => {
      const open = form.classList.toggle('open');
      $('#filters-toggle').setAttribute('aria-expanded', String(open));
    });
    $('#new-task').hidden = !session.can('plan');
    $('#new-task').addEventListener('click', () => this.taskForm.open());
    $('#f-clear').addEventListener('click', () => {
      form.reset();
      this.filtersChanged();
    });
    $('#v-range').addEventListener('change', () => {
      this.setUrl({ range: $('#v-range').value });
      this.velocity.load();
    });
    $('#signout').addEventListener('click', () => {
      this.stop();
      session.signOut();
      location.reload();
    });
    window.addEventListener('popstate', () => this.applyUrl());
    wireKeys(this, session);
  }

  /** Shows what the URL says: view, filters, open task. */
  applyUrl() {
    const params = new URLSearchParams(location.search);
    const view = VIEWS.includes(params.get('view')) ? params.get('view') : 'board';
    const filters = Filters.fromUrl();
    this.showFilters(filters);
    if (!filters.equals(this.filters)) {
      this.filters = filters;
      if (this.board.filters) this.loadBoard();
    }
    this.showView(view, params.get('range'));
    const task = Number(params.get('task'));
    if (task > 0 && this.drawer.openId !== task) this.drawer.open(task);
    if (!task && this.drawer.openId !== null) this.drawer.close();
  }

  setUrl(changes, push = false) {
    const params = new URLSearchParams(location.search);
    for (const [key, value] of Object.entries(changes)) {
      if (value === null || value === undefined || value === '' || (key === 'view' && value === 'board')) params.delete(key);
      else params.set(key, value);
    }
    const query = params.toString();
    const url = `${location.pathname}${query ? `?${query}` : ''}`;
    if (url !== `${location.pathname}${location.search}`) history[push ? 'pushState' : 'replaceState'](null, '', url);
    // Tabs keep the filters when opened in a new tab.
    for (const tab of $$('.tab')) {
      const p = new URLSearchParams(params);
      p.delete('task');
      if (tab.dataset.view === 'board') p.delete('view'); else p.set('view', tab.dataset.view);
      tab.href = `?${p.toString()}`;
    }
  }

  showView(view, range) {
    if (this.view !== view) {
      this.view = view;
      document.body.dataset.view = view;
      for (const section of $$('.view')) section.hidden = section.dataset.view !== view;
      for (const tab of $$('.tab')) {
        if (tab.dataset.view === view) tab.setAttribute('aria-current', 'page');
        else tab.removeAttribute('aria-current');
      }
      clearInterval(this.agentsTimer);
      if (view === 'agents' || view === 'attention') {
        // Heartbeats are not events: poll the agents while they are on screen.
        this.agents.load().catch(() => {});
        this.agentsTimer = setInterval(() => this.agents.load().catch(() => {}), AGENTS_POLL_MS);
      }
      if (view === 'velocity') this.velocity.load(range || $('#v-range').value);
      if (view === 'webhooks') this.webhooks.load().catch((error) => toast(error.message, 'error'));
    } else if (view === 'velocity' && range && range !== $('#v-range').value) {
      this.velocity.load(range);
    }
    this.setUrl({});
  }

  showFilters(filters) {
    const select = (el, value) => {
      if (value && ![...el.options].some((o) => o.value === value)) el.append(h('option', { value }, value));
      el.value = value;
    };
    select($('#f-assignee'), filters.assignee);
    select($('#f-status'), filters.status);
    select($('#f-priority'), filters.priority);
    if ($('#f-label').value !== filters.label) $('#f-label').value = filters.label;
    if ($('#f-q').value !== filters.q) $('#f-q').value = filters.q;
    const active = Object.keys(filters.toQuery()).length;
    $('#filters-toggle').textContent = active ? `Filters (${active})` : 'Filters';
  }

  filtersChanged() {
    const filters = new Filters({
      assignee: $('#f-assignee').value,
      status: $('#f-status').value,
      priority: $('#f-priority').value,
      label: $('#f-label').value.trim(),
      q: $('#f-q').value.trim(),
    });
    if (filters.equals(this.filters)) return;
    this.filters = filters;
    const active = Object.keys(filters.toQuery()).length;
    $('#filters-toggle').textContent = active ? `Filters (${active})` : 'Filters';
    this.setUrl({ assignee: filters.assignee, status: filters.status, priority: filters.priority, label: filters.label, q: filters.q });
    this.loadBoard();
  }

  loadBoard() {
    this.board.load(this.filters, session.name).catch((e) => {
      if (e.name !== 'AbortError') toast(`Could not load the board: ${e.message}`, 'error');
    });
  }

  openTask(id) {
    this.setUrl({ task: id }, true);
    this.drawer.open(id);
  }

  agentsChanged(agents) {
    this.attention.setAgents(agents);
    const select = $('#f-assignee');
    const current = select.value;
    const names = agents.filter((a) => a.role !== 'observer').map((a) => a.name);
    const key = names.join('\n');
    if (key === this.agentNames) return; // unchanged: leave the select alone (it may be open)
    this.agentNames = key;
    fill(select, h('option', { value: '' }, 'Any agent'), session.name ? h('option', { value: 'me' }, `Me (${session.name})`) : null,
      h('option', { value: UNASSIGNED }, 'Unassigned'), names.map((n) => h('option', { value: n }, n)));
    if (current && ![...select.options].some((o) => o.value === current)) select.append(h('option', { value: current }, current));
    select.value = current;
  }

  /** Label suggestions: every label in use (GET /labels), else the ones on the board. */
  async fillLabels() {
    let labels = [];
    try {
      await api.pages('/labels', {}, (items) => labels.push(...items.map((l) => l.name)), { maxItems: 2000 });
    } catch {
      labels = this.board.store.labels();
    }
    fill($('#all-labels'), labels.slice(0, 2000).map((l) => h('option', { value: l })));
  }

  /** The tab's title: what needs a person (attention, a freeze) shows even when the tab is in the background. */
  showTitle() {
    const parts = [];
    const attention = Number($('#attention-count').dataset.count || 0);
    if (attention) parts.push(`${attention} attention`);
    const questions = Number($('#questions-count').dataset.count || 0);
    if (questions) parts.push(`${questions} ${questions === 1 ? 'question' : 'questions'}`);
    if (document.body.dataset.frozen === 'true') parts.push('frozen');
    document.title = parts.length ? `(${parts.join(' · ')}) Olympus` : 'Olympus';
  }

  /** A batch of events, in id order. Task events carry the task after the change in data.task. */
  onEvents(events) {
    const tasks = [];
    let agentsChanged = false;
    for (const event of events) {
      if (event.type.startsWith('task.')) {
        const task = event.data && event.data.task;
        if (task && typeof task.id === 'number') tasks.push(task);
        else if (event.taskId && this.shows(event.taskId)) this.refetchIds.add(event.taskId); // a comment: the count changed
        if (event.type === 'task.commented') this.drawer.commented(event.taskId);
      } else if (event.type.startsWith('agent.')) {
        agentsChanged = true;
      } else if (event.type === 'system.frozen' || event.type === 'system.unfrozen') {
        this.freeze.load().then(() => this.showTitle()).catch(() => {});
      }
      this.questions.onEvent(event);
      this.notices.event(event);
    }
    if (tasks.length) this.applyTasks(tasks);
    if (this.refetchIds.size) this.flushRefetch();
    // Task counts per agent matter only where they are shown; agent events change names and states.
    if (agentsChanged || (tasks.length && (this.view === 'agents' || this.view === 'attention'))) this.reloadAgents();
    document.body.dataset.lastEvent = String(events[events.length - 1].id);
  }

  applyTasks(tasks) {
    this.board.apply(tasks);
    this.attention.apply(tasks);
    for (const task of tasks) this.drawer.update(task);
    const known = new Set([...$('#all-labels').options].map((o) => o.value));
    if (tasks.some((t) => (t.labels || []).some((l) => !known.has(l)))) this.updateLabels();
  }

  /** Is this task on the board, in the attention queue or in the drawer? */
  shows(id) {
    return Boolean(this.board.store.get(id) || this.attention.tasks.has(id) || this.drawer.openId === id);
  }

  /**
   * Re-reads tasks whose events carry no snapshot (comments), at most REFETCH_BATCH a second, so that a
   * burst of comments cannot run the signed-in agent into its rate limit.
   */
  async refetch() {
    if (this.refetching) return;
    this.refetching = true;
    try {
      const ids = [...this.refetchIds].slice(0, REFETCH_BATCH);
      ids.forEach((id) => this.refetchIds.delete(id));
      const found = await Promise.all(ids.map((id) => api.get(`/tasks/${id}`).catch(() => null)));
      const tasks = found.filter(Boolean);
      if (tasks.length) this.applyTasks(tasks);
    } finally {
      setTimeout(() => {
        this.refetching = false;
        if (this.refetchIds.size) this.refetch();
      }, 1000);
    }
  }

  /** Without any event stream: re-read what changed. */
  async refresh() {
    const since = new Date(Date.parse(this.lastRefresh) - 30000).toISOString();
    this.lastRefresh = new Date().toISOString();
    await this.board.refreshSince(since);
    await Promise.all([this.attention.load(), this.questions.load(), this.agents.load(), this.freeze.load()]);
  }

  showLive({ state, detail, mode }) {
    const texts = {
      connecting: 'Connecting…',
      live: session.role === 'worker' ? 'Live (your tasks)' : 'Live',
      reconnecting: `Disconnected — reconnecting${detail ? ` (${detail})` : ''}`,
      polling: session.role === 'worker' ? 'Live (your tasks, polling)' : 'Live (polling)',
      refresh: 'Refreshing every 10 s',
      offline: `Offline${detail ? ` — ${detail}` : ''}`,
    };
    $('#live').dataset.state = state;
    $('#live-text').textContent = texts[state] || state;
    document.body.dataset.live = state;
    document.body.dataset.liveMode = mode;
  }
}

// Expose a handle for debugging and for the browser tests (e.g. to drop the socket).
window.olympus = { get app() { return app; }, session };

if (session.signedIn) {
  $('#signin').hidden = true;
  app = new App();
  app.start();
} else {
  showSignIn();
}
