// Olympus dashboard: wiring. The URL holds the view, the board's filters and the open task (url.js).

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
import { addReviewFormFields } from './review.js';
import { WebhooksPanel } from './webhooks.js';
import { TaskForm } from './forms.js';
import { Notices } from './notices.js';
import { wireKeys } from './keys.js';
import { leaveSignInMessage, showSignIn, wireSignIn } from './signin.js';
import { FilterBar } from './filterbar.js';
import { Refetcher } from './refetch.js';
import { setUrl, viewOfUrl } from './url.js';
import { showLiveState, showSessionNotice, showTitle } from './indicators.js';

const AGENTS_POLL_MS = 15000;

const session = new Session();
const api = new Api(session);
// The review and plan fields (review required, acceptance criteria, parent) join the "New task" form.
addReviewFormFields();
let app = null;

session.onExpired = (message) => {
  if (app) app.stop();
  leaveSignInMessage(message);
  location.reload();
};

wireSignIn(session, startApp);

class App {
  constructor() {
    this.filters = Filters.fromUrl();
    this.view = null;
    this.agentsTimer = null;
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
      onClose: () => setUrl({ task: null }),
    });
    this.notices = new Notices($('#notify-toggle'));
    this.attention = new AttentionQueue($('#attention'), $('#attention-count'), api, {
      onOpen: (id) => this.openTask(id),
      session,
      agentsPanel: this.agents,
      onChange: (items) => {
        this.notices.attention(items);
        showTitle();
      },
    });
    this.questions = new QuestionsInbox($('#questions'), $('#questions-count'), api, {
      session,
      onOpen: (id) => this.openTask(id),
      onChange: showTitle,
    });
    this.taskForm = new TaskForm(api, {
      store: this.board.store,
      agents: agentList,
      onCreated: (task) => this.applyTasks([task]),
    });
    this.freeze = new Freeze(api, session, $('#freeze-banner'), $('#freeze-toggle'));
    this.freeze.onChange = showTitle;
    this.velocity = new Velocity($('#velocity'), $('#v-range'), api);
    this.webhooks = new WebhooksPanel($('#webhooks-panel'), api, session);
    this.live = new LiveFeed(api, {
      onEvents: (events) => this.onEvents(events),
      onState: (state) => showLiveState(state, session),
      onRefresh: () => this.refresh(),
      onResync: () => this.resync(),
      onKilled: () => session.expire('This agent has been killed.'),
      beforeReconnect: () => this.freshToken(),
    });
    this.reloadAgents = debounce(() => this.agents.load().catch(() => {}), 1000);
    this.updateLabels = debounce(() => this.fillLabels(), 5000);
    this.refetcher = new Refetcher(api, (tasks) => this.applyTasks(tasks));
  }

  async start() {
    document.body.dataset.page = 'app';
    $('#app').hidden = false;
    $('#whoami').textContent = session.name ? `${session.name} · ${session.role}` : 'signed in (role unknown)';
    $('#whoami').dataset.role = session.role;
    $('#webhooks-tab').hidden = !session.can('operate');
    showSessionNotice(session);
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
        setUrl({ view: tab.dataset.view }, true);
        this.applyUrl();
      });
    }
    this.filterBar = new FilterBar($('#filters'), session, () => this.filtersChanged());
    $('#new-task').hidden = !session.can('plan');
    $('#new-task').addEventListener('click', () => this.taskForm.open());
    $('#v-range').addEventListener('change', () => {
      setUrl({ range: $('#v-range').value });
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
    const view = viewOfUrl(params);
    const filters = Filters.fromUrl();
    this.filterBar.show(filters);
    if (!filters.equals(this.filters)) {
      this.filters = filters;
      if (this.board.filters) this.loadBoard();
    }
    this.showView(view, params.get('range'));
    const task = Number(params.get('task'));
    if (task > 0 && this.drawer.openId !== task) this.drawer.open(task);
    if (!task && this.drawer.openId !== null) this.drawer.close();
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
    setUrl({});
  }

  filtersChanged() {
    const filters = this.filterBar.read();
    if (filters.equals(this.filters)) return;
    this.filters = filters;
    this.filterBar.showCount(filters);
    setUrl({ assignee: filters.assignee, status: filters.status, priority: filters.priority, label: filters.label, q: filters.q });
    this.loadBoard();
  }

  loadBoard() {
    this.board.load(this.filters, session.name).catch((e) => {
      if (e.name !== 'AbortError') toast(`Could not load the board: ${e.message}`, 'error');
    });
  }

  openTask(id) {
    setUrl({ task: id }, true);
    this.drawer.open(id);
  }

  agentsChanged(agents) {
    this.attention.setAgents(agents);
    this.filterBar.showAgents(agents);
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

  /** A batch of events, in id order. Task events carry the task after the change in data.task. */
  onEvents(events) {
    const tasks = [];
    let agentsChanged = false;
    for (const event of events) {
      if (event.type.startsWith('task.')) {
        const task = event.data && event.data.task;
        if (task && typeof task.id === 'number') tasks.push(task);
        else if (event.taskId && this.shows(event.taskId)) this.refetcher.add(event.taskId); // a comment: the count changed
        if (event.type === 'task.commented') this.drawer.commented(event.taskId);
      } else if (event.type.startsWith('agent.')) {
        agentsChanged = true;
      } else if (event.type === 'system.frozen' || event.type === 'system.unfrozen') {
        this.freeze.load().then(() => showTitle()).catch(() => {});
      }
      this.questions.onEvent(event);
      this.notices.event(event);
    }
    if (tasks.length) this.applyTasks(tasks);
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

  /** Without any event stream: re-read what changed. */
  async refresh() {
    const since = new Date(Date.parse(this.lastRefresh) - 30000).toISOString();
    this.lastRefresh = new Date().toISOString();
    await this.board.refreshSince(since);
    await Promise.all([this.attention.load(), this.questions.load(), this.agents.load(), this.freeze.load()]);
  }
}

// Expose a handle for debugging and for the browser tests (e.g. to drop the socket).
window.olympus = { get app() { return app; }, session };

function startApp() {
  app = new App();
  app.start();
}

if (session.signedIn) {
  $('#signin').hidden = true;
  startApp();
} else {
  showSignIn();
}
