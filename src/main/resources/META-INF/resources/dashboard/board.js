// The kanban board: one column per status, cards in the server's order. Only the first cards of a
// column are in the DOM ("Show more" adds more), so thousands of tasks cost a few hundred nodes; cards
// are keyed by task id and redrawn only when their task changed.

import { h, fill, age } from './dom.js';
import { STATUSES, STATUS_LABELS, TaskStore } from './store.js';
import { cardContent, clockOf } from './card.js';
import { FreshCards } from './fresh.js';

// Done, Failed and Canceled share one column on screens too narrow for seven (see .final-group in app.css).
const FINAL = ['done', 'failed', 'canceled'];

const SHOW_STEP = 50;          // cards added to a column per "Show more"
const PREFETCH_PER_COLUMN = 5000; // tasks loaded per column in the background; more on demand

export class Board {
  constructor(root, api, { onOpen, onNew }) {
    this.root = root;
    this.api = api;
    this.onOpen = onOpen;
    this.onNew = onNew || (() => {});
    this.store = new TaskStore();
    this.columns = new Map();
    this.cards = new Map();       // id -> { el, sig }
    this.generation = 0;
    this.abort = null;
    this.state = new Map();       // status -> { shown, cursor, complete, loading }
    this.renderQueued = false;
    this.filters = null;
    // How long redraws take (for the scale measurements in the README; cheap to keep).
    this.renderStats = { count: 0, totalMs: 0, maxMs: 0, firstCards: 0, loaded: 0 };
    this.buildColumns();
    setInterval(() => this.tickAges(), 30000);
  }

  buildColumns() {
    this.finalSwitch = h('div', { class: 'final-switch', role: 'group', 'aria-label': 'Finished tasks' });
    this.finalGroup = h('div', { class: 'final-group' }, this.finalSwitch);
    for (const status of STATUSES) {
      const count = h('span', { class: 'count', 'aria-label': 'tasks' }, '0');
      const list = h('ol', { class: 'cards', 'aria-label': STATUS_LABELS[status] });
      const more = h('button', { type: 'button', class: 'more ghost', hidden: true, onclick: () => this.showMore(status) });
      const empty = h('p', { class: 'column-empty muted small', hidden: true }, 'No tasks');
      const marker = h('button', { type: 'button', class: 'new-marker', hidden: true });
      const body = h('div', { class: 'column-body' }, list, empty, more);
      const section = h('section', { class: `column col-${status}`, dataset: { status }, 'aria-label': STATUS_LABELS[status] },
        h('h3', { class: 'column-head' }, h('span', { class: 'column-title' }, STATUS_LABELS[status]), marker, count), body);
      const fresh = new FreshCards(body, list, marker, (id) => this.cards.get(id)?.el);
      const column = { section, count, list, more, empty, body, fresh };
      this.columns.set(status, column);
      if (FINAL.includes(status)) {
        column.tab = h('button', { type: 'button', class: 'final-tab', dataset: { status }, 'aria-pressed': 'false',
          onclick: () => this.chooseFinal(status) }, STATUS_LABELS[status], ' ', h('span', { class: 'tab-n' }, '0'));
        this.finalSwitch.append(column.tab);
        this.finalGroup.append(section);
      } else {
        this.root.append(section);
      }
    }
    this.root.append(this.finalGroup);
    this.chooseFinal('done');
  }

  /** Which finished column the shared column shows (when the screen is too narrow for all seven). */
  chooseFinal(status) {
    this.final = status;
    for (const s of FINAL) {
      const column = this.columns.get(s);
      column.section.classList.toggle('chosen', s === status);
      column.tab.setAttribute('aria-pressed', String(s === status));
    }
  }

  /** Loads the board for these filters: the first page of every shown column first, then the rest. */
  async load(filters, me) {
    this.filters = filters;
    this.me = me;
    const generation = ++this.generation;
    this.abort?.abort();
    this.abort = new AbortController();
    const signal = this.abort.signal;
    this.store.reset(filters.matcher(me));
    this.renderStats.firstCards = 0;
    this.renderStats.loaded = 0;
    this.cards.clear();
    const shown = filters.statuses();
    for (const status of STATUSES) {
      const column = this.columns.get(status);
      column.section.hidden = !shown.includes(status);
      column.list.replaceChildren();
      column.fresh.clear();
      if (column.tab) column.tab.hidden = column.section.hidden;
      this.state.set(status, { shown: SHOW_STEP, cursor: null, complete: false, loading: null, loaded: 0 });
    }
    const finals = FINAL.filter((f) => shown.includes(f));
    this.finalGroup.hidden = !finals.length;
    this.finalGroup.dataset.columns = String(finals.length);
    if (finals.length && !finals.includes(this.final)) this.chooseFinal(finals[0]);
    this.phase = 'true';
    this.render();
    const first = shown.map((status) => this.fetchPage(status, generation, signal));
    try {
      await Promise.all(first);
      if (generation !== this.generation) return;
      this.phase = 'partial';
      this.scheduleRender();
      // Then the remaining pages, one request at a time (the server and the page stay responsive).
      for (const status of shown) {
        while (generation === this.generation && !this.state.get(status).complete
          && this.state.get(status).loaded < PREFETCH_PER_COLUMN) {
          await this.fetchPage(status, generation, signal);
        }
      }
      if (generation === this.generation) {
        this.phase = 'false';
        this.scheduleRender();
      }
    } catch (e) {
      if (e.name !== 'AbortError' && generation === this.generation) throw e;
    }
  }

  /** Loads the next page of one column; a call while one is in flight waits for that one. */
  fetchPage(status, generation, signal) {
    const state = this.state.get(status);
    if (state.complete) return Promise.resolve();
    if (!state.loading) {
      state.loading = this.fetchNext(status, state, generation, signal).finally(() => { state.loading = null; });
    }
    return state.loading;
  }

  async fetchNext(status, state, generation, signal) {
    const query = { ...this.filters.toApiQuery(), status, limit: 200, cursor: state.cursor };
    const page = await this.api.get('/tasks', query, signal);
    if (generation !== this.generation) return;
    for (const task of page.items) this.store.put(task);
    state.loaded += page.items.length;
    state.cursor = page.nextCursor;
    state.complete = !page.nextCursor;
    this.store.dirty.add(status);
    this.scheduleRender();
  }

  async showMore(status) {
    const state = this.state.get(status);
    state.shown += SHOW_STEP;
    if (!state.complete && this.store.column(status).length < state.shown) {
      await this.fetchPage(status, this.generation, this.abort?.signal);
    }
    this.scheduleRender();
  }

  /** Applies task snapshots from events; true when something on the board changed. */
  apply(tasks) {
    let changed = false;
    for (const task of tasks) changed = this.store.put(task) || changed;
    if (changed) this.scheduleRender(true);
    return changed;
  }

  /** Re-reads what changed since `since` (the fallback when there is no event stream). */
  async refreshSince(since) {
    const query = { ...this.filters.toApiQuery(), updatedSince: since };
    delete query.status;
    await this.api.pages('/tasks', query, (items) => this.apply(items));
  }

  scheduleRender(flash = false) {
    this.flash = this.flash || flash;
    if (this.renderQueued) return;
    this.renderQueued = true;
    nextFrame(() => {
      this.renderQueued = false;
      this.render();
    });
  }

  render() {
    const started = performance.now();
    this.renderCards();
    const ms = performance.now() - started;
    const stats = this.renderStats;
    stats.count++;
    stats.totalMs += ms;
    stats.maxMs = Math.max(stats.maxMs, ms);
    if (!stats.firstCards && this.cards.size) {
      stats.firstCards = performance.now();
      performance.mark('olympus:first-cards');
    }
    if (this.phase === 'false' && !stats.loaded) {
      stats.loaded = performance.now();
      performance.mark('olympus:board-loaded');
    }
  }

  renderCards() {
    const flash = this.flash;
    this.flash = false;
    const changed = this.store.changed;
    this.store.changed = new Set();
    const placed = new Set();
    for (const status of STATUSES) {
      const column = this.columns.get(status);
      if (column.section.hidden) continue;
      const state = this.state.get(status);
      const tasks = this.store.column(status);
      const visible = tasks.slice(0, state.shown);
      // Keyed reconciliation: reuse each task's card, move it only when its place changed.
      let cursor = column.list.firstElementChild;
      const arrived = [];
      for (const task of visible) {
        const known = this.cards.get(task.id);
        if (flash && changed.has(task.id) && (!known || known.el.parentNode !== column.list)) arrived.push(task.id);
        const card = this.card(task, changed.has(task.id) && flash);
        placed.add(task.id);
        if (card !== cursor) column.list.insertBefore(card, cursor);
        else cursor = cursor.nextElementSibling;
      }
      while (cursor) {
        const next = cursor.nextElementSibling;
        if (!placed.has(Number(cursor.dataset.taskId))) cursor.remove();
        cursor = next;
      }
      // While pages are still arriving the count says so ("200+"); "Show more" appears when there is more
      // to show than is shown, or when the background loading stopped at its cap.
      const total = `${tasks.length}${state.complete ? '' : '+'}`;
      column.count.textContent = state.loaded || state.complete ? total : '…';
      column.count.dataset.count = String(tasks.length);
      column.section.dataset.complete = String(state.complete);
      const capped = !state.complete && state.loaded >= PREFETCH_PER_COLUMN;
      column.more.hidden = !(tasks.length > state.shown || (capped && tasks.length >= state.shown));
      column.more.textContent = `Show more (${Math.min(tasks.length, state.shown)} of ${total})`;
      column.empty.hidden = tasks.length > 0 || !(state.complete || state.loaded);
      if (column.tab) column.tab.querySelector('.tab-n').textContent = column.count.textContent;
      if (arrived.length) {
        column.fresh.note(arrived);
        this.onNew(status, arrived);
      }
      column.fresh.seen();
    }
    // data-loading tells tests and styles what is on screen: 'true' (first pages pending),
    // 'partial' (first pages shown, more loading), 'false' (all loaded).
    this.root.dataset.loading = this.phase;
    for (const [id, card] of this.cards) {
      if (!placed.has(id)) {
        card.el.remove();
        this.cards.delete(id);
      }
    }
  }

  card(task, flash) {
    const sig = `${task.version}/${task.commentCount}/${task.needsAttention}/${task.ready}/${task.usage?.costUsd}`;
    let entry = this.cards.get(task.id);
    if (!entry) {
      const el = h('li', { class: 'card-item', dataset: { taskId: String(task.id) } });
      entry = { el, sig: null };
      this.cards.set(task.id, entry);
    }
    if (entry.sig !== sig) {
      entry.sig = sig;
      fill(entry.el, cardContent(task, () => this.onOpen(task.id), this));
      entry.el.dataset.status = task.status;
      if (flash) {
        entry.el.classList.remove('flash');
        void entry.el.offsetWidth; // restart the animation
        entry.el.classList.add('flash');
      }
    }
    return entry.el;
  }

  tickAges() {
    const now = Date.now();
    for (const [id, entry] of this.cards) {
      const task = this.store.get(id);
      const ageEl = entry.el.querySelector('.age');
      if (task && ageEl) ageEl.textContent = age(clockOf(task), now);
    }
  }
}

/** The next animation frame, or a short timeout where frames do not run (a hidden tab). */
function nextFrame(fn) {
  if (document.hidden) setTimeout(fn, 50);
  else requestAnimationFrame(fn);
}
