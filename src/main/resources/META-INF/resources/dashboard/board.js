// The kanban board: one column per status, cards in the server's order. Only the first cards of a
// column are in the DOM ("Show more" adds more), so thousands of tasks cost a few hundred nodes; cards
// are keyed by task id and redrawn only when their task changed.

import { h, s, fill, age, localTime, usd } from './dom.js';
import { STATUSES, STATUS_LABELS, TaskStore } from './store.js';

const SHOW_STEP = 50;          // cards added to a column per "Show more"
const PREFETCH_PER_COLUMN = 5000; // tasks loaded per column in the background; more on demand

export class Board {
  constructor(root, api, { onOpen }) {
    this.root = root;
    this.api = api;
    this.onOpen = onOpen;
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
    for (const status of STATUSES) {
      const count = h('span', { class: 'count', 'aria-label': 'tasks' }, '0');
      const list = h('ol', { class: 'cards', 'aria-label': STATUS_LABELS[status] });
      const more = h('button', { type: 'button', class: 'more ghost', hidden: true, onclick: () => this.showMore(status) });
      const empty = h('p', { class: 'column-empty muted small', hidden: true }, 'No tasks');
      const section = h('section', { class: `column col-${status}`, dataset: { status }, 'aria-label': STATUS_LABELS[status] },
        h('h3', { class: 'column-head' }, h('span', { class: 'column-title' }, STATUS_LABELS[status]), count),
        h('div', { class: 'column-body' }, list, empty, more));
      this.columns.set(status, { section, count, list, more, empty });
      this.root.append(section);
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
      this.state.set(status, { shown: SHOW_STEP, cursor: null, complete: false, loading: null, loaded: 0 });
    }
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
    const query = { ...this.filters.toQuery(), status, limit: 200, cursor: state.cursor };
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
    const query = { ...this.filters.toQuery(), updatedSince: since };
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
      for (const task of visible) {
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
      fill(entry.el, cardContent(task, () => this.onOpen(task.id)));
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
      if (task && ageEl) ageEl.textContent = age(task.createdAt, now);
    }
  }
}

const ICONS = {
  comment: 'M2.5 3.5h11v7h-6l-3 2.5v-2.5h-2z',
  deps: 'M4.5 2.5v6a3 3 0 0 0 3 3h4M9.5 9.5l2 2-2 2',
};

/** A small stroked icon (fonts may lack emoji). */
function icon(name) {
  return s('svg', { class: 'icon', viewBox: '0 0 16 16', 'aria-hidden': 'true', focusable: 'false' },
    s('path', { d: ICONS[name] }));
}

/** The next animation frame, or a short timeout where frames do not run (a hidden tab). */
function nextFrame(fn) {
  if (document.hidden) setTimeout(fn, 50);
  else requestAnimationFrame(fn);
}

/** A card: a link (so it can be opened in a new tab or shared) that opens the drawer. */
export function cardContent(task, open) {
  const labels = task.labels || [];
  const deps = task.dependsOn || [];
  const link = h('a', {
    class: `card prio-${task.priority}`,
    href: `?task=${task.id}`,
    dataset: { taskId: String(task.id) },
    onclick: (e) => {
      if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
      e.preventDefault();
      open();
    },
  },
  h('span', { class: 'card-top' },
    h('span', { class: 'card-id' }, `#${task.id}`),
    h('span', { class: `prio prio-${task.priority}` }, task.priority),
    task.needsAttention ? h('span', { class: 'badge attention', title: `Needs attention: ${task.attentionReason || ''}` },
      `⚠ ${task.attentionReason || 'attention'}`) : null),
  h('span', { class: 'card-title', title: task.title }, task.title),
  h('span', { class: 'card-labels' }, labels.slice(0, 3).map((l) => h('span', { class: 'label' }, l)),
    labels.length > 3 ? h('span', { class: 'label more-labels' }, `+${labels.length - 3}`) : null),
  h('span', { class: 'card-meta' },
    h('span', { class: `assignee${task.assignee ? '' : ' none'}` }, task.assignee || 'unassigned'),
    h('span', { class: 'meta-right' },
      deps.length ? h('span', {
        class: `badge deps${task.ready ? ' ready' : ''}`,
        title: task.ready ? `${deps.length} dependencies, all done` : `waits for ${deps.length} dependencies`,
        'aria-label': task.ready ? `${deps.length} dependencies done` : `waits for ${deps.length} dependencies`,
      }, icon('deps'), String(deps.length)) : null,
      Number(task.usage?.costUsd) > 0 ? h('span', { class: 'badge cost', title: `cost reported: ${usd(task.usage.costUsd)}`,
        'aria-label': `cost ${usd(task.usage.costUsd)}` }, usd(task.usage.costUsd)) : null,
      h('span', { class: 'badge comments', title: `${task.commentCount} comments`, 'aria-label': `${task.commentCount} comments` },
        icon('comment'), String(task.commentCount)),
      h('span', { class: 'age', title: `created ${localTime(task.createdAt)}` }, age(task.createdAt)))));
  return link;
}
