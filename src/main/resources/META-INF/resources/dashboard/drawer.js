// The task drawer: everything about one task, its comments (and a form to add one), its history and
// its dependencies. A modal <dialog>: focus stays inside, Escape closes it.

import { h, fill, localTime, age, debounce, usd } from './dom.js';
import { STATUS_LABELS } from './store.js';

export class Drawer {
  constructor(dialog, api, session, { onNavigate, onClose, store }) {
    this.dialog = dialog;
    this.api = api;
    this.session = session;
    this.onNavigate = onNavigate;
    this.store = store;
    this.taskId = null;
    this.task = null;
    this.title = dialog.querySelector('#drawer-title');
    this.body = dialog.querySelector('#drawer-body');
    dialog.querySelector('#drawer-close').addEventListener('click', () => this.close());
    dialog.addEventListener('close', () => {
      this.taskId = null;
      onClose();
    });
    // A click on the backdrop closes the drawer too.
    dialog.addEventListener('click', (e) => { if (e.target === dialog) this.close(); });
    this.reloadComments = debounce(() => this.loadComments(), 150);
    this.reloadHistory = debounce(() => this.loadHistory(), 300);
  }

  get openId() { return this.taskId; }

  async open(id) {
    this.taskId = id;
    this.task = null;
    this.title.textContent = `Task #${id}`;
    this.summary = h('div', { class: 'drawer-summary' }, h('p', { class: 'muted' }, 'Loading…'));
    this.deps = h('div', { class: 'drawer-deps' });
    this.comments = h('ol', { class: 'comment-list', 'aria-label': 'Comments' });
    this.history = h('ol', { class: 'history-list', 'aria-label': 'History' });
    fill(this.body,
      this.summary,
      h('section', { 'aria-labelledby': 'deps-h' }, h('h3', { id: 'deps-h' }, 'Dependencies'), this.deps),
      h('section', { 'aria-labelledby': 'comments-h' }, h('h3', { id: 'comments-h' }, 'Comments'), this.comments,
        this.session.can('comment') ? this.commentForm() : null),
      h('section', { 'aria-labelledby': 'history-h' }, h('h3', { id: 'history-h' }, 'History'), this.history));
    if (!this.dialog.open) this.dialog.showModal();
    this.dialog.querySelector('#drawer-close').focus();
    try {
      const task = await this.api.get(`/tasks/${id}`);
      if (this.taskId !== id) return;
      this.show(task);
    } catch (e) {
      if (this.taskId === id) fill(this.summary, h('p', { class: 'error', role: 'alert' }, e.status === 404 ? `Task #${id} does not exist.` : e.message));
      return;
    }
    this.loadComments();
    this.loadHistory();
  }

  close() {
    if (this.dialog.open) this.dialog.close();
  }

  /** A newer snapshot of the open task (from an event). */
  update(task) {
    if (task.id !== this.taskId || (this.task && task.version < this.task.version)) return;
    const versionChanged = !this.task || task.version !== this.task.version;
    this.show(task);
    if (versionChanged) this.reloadHistory();
  }

  commented(taskId) {
    if (taskId !== this.taskId) return;
    this.reloadComments();
    this.reloadHistory();
  }

  show(task) {
    this.task = task;
    this.title.textContent = task.title;
    const row = (name, value) => [h('dt', {}, name), h('dd', {}, value ?? '—')];
    const taskLink = (id) => (id ? this.link(id, `#${id}`) : '—');
    fill(this.summary,
      h('p', { class: 'chips' },
        h('span', { class: `status status-${task.status}` }, STATUS_LABELS[task.status] || task.status),
        h('span', { class: `prio prio-${task.priority}` }, task.priority),
        task.needsAttention ? h('span', { class: 'badge attention' }, `⚠ ${task.attentionReason || 'attention'}`) : null,
        (task.labels || []).map((l) => h('span', { class: 'label' }, l))),
      h('dl', { class: 'facts' },
        row('Task', `#${task.id} · version ${task.version}`),
        row('Assignee', task.assignee || 'unassigned'),
        row('Created by', task.createdBy),
        row('Created', `${localTime(task.createdAt)} (${age(task.createdAt)} ago)`),
        row('Updated', localTime(task.updatedAt)),
        row('Started', localTime(task.startedAt)),
        row('Completed', localTime(task.completedAt)),
        row('Attempt', `${task.attempt}${task.maxAttempts ? ` of ${task.maxAttempts}` : ''}`),
        task.retryOf ? row('Retry of', taskLink(task.retryOf)) : null,
        task.usage ? row('Cost of this attempt', `${usd(task.usage.costUsd)} · ${task.usage.inputTokens} in / `
          + `${task.usage.outputTokens} out tokens`) : null,
        task.leaseExpiresAt ? row('Lease until', localTime(task.leaseExpiresAt)) : null),
      h('h3', {}, 'Description'),
      h('div', { class: `prose${task.description ? '' : ' muted'}`, dataset: { field: 'description' } }, task.description || 'No description.'),
      h('h3', {}, 'Result'),
      h('div', { class: `prose${task.result ? '' : ' muted'}`, dataset: { field: 'result' } }, task.result || 'No result yet.'));
    this.showDependencies(task);
  }

  async showDependencies(task) {
    const ids = task.dependsOn || [];
    const dependents = this.store.dependents(task.id);
    const depList = h('ul', { class: 'dep-list' });
    fill(this.deps,
      h('p', { class: 'muted small' }, ids.length ? (task.ready ? 'All dependencies are done.' : 'Waits for dependencies.') : 'Depends on nothing.'),
      depList,
      dependents.length ? h('p', { class: 'muted small' }, 'Needed by:') : null,
      dependents.length ? h('ul', { class: 'dep-list' }, dependents.map((d) => this.depItem(d))) : null);
    for (const id of ids) {
      const item = h('li', {}, this.link(id, `#${id}`));
      depList.append(item);
      const known = this.store.get(id);
      const fetched = known ? Promise.resolve(known) : this.api.get(`/tasks/${id}`).catch(() => null);
      fetched.then((dep) => { if (dep) item.replaceWith(this.depItem(dep)); });
    }
  }

  depItem(dep) {
    return h('li', {}, this.link(dep.id, `#${dep.id} ${dep.title}`), ' ',
      h('span', { class: `status status-${dep.status}` }, STATUS_LABELS[dep.status] || dep.status));
  }

  link(id, text) {
    return h('a', {
      href: `?task=${id}`,
      class: 'task-link',
      onclick: (e) => {
        if (e.metaKey || e.ctrlKey || e.shiftKey) return;
        e.preventDefault();
        this.onNavigate(id);
      },
    }, text);
  }

  async loadComments() {
    const id = this.taskId;
    if (id === null) return;
    const items = [];
    try {
      await this.api.pages(`/tasks/${id}/comments`, {}, (page) => items.push(...page), { maxItems: 1000 });
    } catch (e) {
      if (this.taskId === id) fill(this.comments, h('li', { class: 'error' }, e.message));
      return;
    }
    if (this.taskId !== id) return;
    fill(this.comments, items.length ? items.map((c) => h('li', { class: `comment${c.system ? ' system' : ''}`, dataset: { commentId: String(c.id) } },
      h('div', { class: 'comment-head' }, h('strong', {}, c.author), ' ',
        h('time', { datetime: c.createdAt, title: localTime(c.createdAt) }, `${age(c.createdAt)} ago`),
        c.system ? h('span', { class: 'muted small' }, ' · system') : null),
      h('div', { class: 'prose' }, c.body))) : h('li', { class: 'muted' }, 'No comments yet.'));
  }

  commentForm() {
    const text = h('textarea', { id: 'comment-body', rows: 3, maxlength: 16384, required: true, 'aria-label': 'New comment' });
    const error = h('p', { class: 'error', role: 'alert' });
    const submit = h('button', { type: 'submit', class: 'primary', id: 'comment-submit' }, 'Add comment');
    const form = h('form', { class: 'comment-form', onsubmit: async (e) => {
      e.preventDefault();
      const body = text.value.trim();
      if (!body) return;
      submit.disabled = true;
      error.textContent = '';
      try {
        await this.api.post(`/tasks/${this.taskId}/comments`, { body });
        text.value = '';
        this.loadComments();
      } catch (err) {
        error.textContent = err.message;
      } finally {
        submit.disabled = false;
      }
    } }, text, error, submit);
    text.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) form.requestSubmit();
    });
    return form;
  }

  async loadHistory() {
    const id = this.taskId;
    if (id === null) return;
    let events = [];
    try {
      const page = await this.api.get(`/tasks/${id}/history`, { limit: 200 });
      events = page.items;
    } catch (e) {
      if (this.taskId === id) fill(this.history, h('li', { class: 'error' }, e.message));
      return;
    }
    if (this.taskId !== id) return;
    fill(this.history, events.map((e) => h('li', {},
      h('time', { datetime: e.at, title: localTime(e.at) }, `${age(e.at)} ago`), ' ',
      h('strong', {}, e.actor), ' ', describe(e))));
  }
}

/** One line for a history event. */
function describe(event) {
  const d = event.data || {};
  switch (event.type) {
    case 'task.created': return 'created the task';
    case 'task.status_changed': return `moved it from ${STATUS_LABELS[d.from] || d.from} to ${STATUS_LABELS[d.to] || d.to}`;
    case 'task.assigned': return d.to ? `assigned it to ${d.to}` : 'unassigned it';
    case 'task.updated': return `changed ${(d.fields || []).join(', ') || 'the task'}`;
    case 'task.commented': return 'commented';
    case 'task.ready': return 'all dependencies done: ready';
    case 'task.attention': return `flagged it: ${d.reason || d.task?.attentionReason || 'needs attention'}`;
    default: return event.type;
  }
}

