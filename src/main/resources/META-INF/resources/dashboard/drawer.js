// The task drawer: everything about one task, its comments (and a form to add one), its history and
// its dependencies. A modal <dialog>: focus stays inside, Escape closes it.

import { h, fill, localTime, age, debounce, toast, usd } from './dom.js';
import { STATUS_LABELS } from './store.js';
import { reviewSection } from './review.js';
import { askReason } from './agents.js';
import { TaskControls } from './controls.js';
import { CommentThread } from './comments.js';
import { blockReason, describe, credit, plural } from './words.js';

const CANCELABLE = new Set(['todo', 'blocked', 'in_progress', 'in_review']);

export class Drawer {
  constructor(dialog, api, session, { onNavigate, onClose, store, agents }) {
    this.dialog = dialog;
    this.api = api;
    this.session = session;
    this.onNavigate = onNavigate;
    this.store = store;
    this.taskId = null;
    this.task = null;
    this.title = dialog.querySelector('#drawer-title');
    this.reason = dialog.querySelector('#drawer-reason');
    this.notice = h('div', { class: 'drawer-notice', 'aria-live': 'polite' });
    this.editing = null; // the editor's form while the text fields are edited
    this.controls = new TaskControls(api, session, {
      store, agents, notice: this.notice, onNavigate,
      onSaved: (task) => this.update(task),
      onEdit: (on = true) => this.edit(on),
    });
    this.body = dialog.querySelector('#drawer-body');
    dialog.querySelector('#drawer-close').addEventListener('click', () => this.close());
    dialog.addEventListener('close', () => {
      this.taskId = null;
      this.editing = null;
      onClose();
    });
    // A click on the backdrop closes the drawer too.
    dialog.addEventListener('click', (e) => { if (e.target === dialog) this.close(); });
    this.reloadComments = debounce(() => { if (this.taskId !== null) this.thread.load(); }, 150);
    this.reloadHistory = debounce(() => this.loadHistory(), 300);
  }

  get openId() { return this.taskId; }

  async open(id) {
    this.taskId = id;
    this.task = null;
    this.editing = null;
    this.editingDeps = false;
    this.title.textContent = `Task #${id}`;
    this.reason.hidden = true;
    fill(this.notice);
    this.summary = h('div', { class: 'drawer-summary' }, h('p', { class: 'muted' }, 'Loading…'));
    this.deps = h('div', { class: 'drawer-deps' });
    this.thread = new CommentThread(this.api, id, { canComment: this.session.can('comment') });
    this.history = h('ol', { class: 'history-list', 'aria-label': 'History' });
    fill(this.body,
      this.notice,
      this.summary,
      h('section', { 'aria-labelledby': 'deps-h' }, h('h3', { id: 'deps-h' }, 'Dependencies'), this.deps),
      h('section', { 'aria-labelledby': 'comments-h' }, h('h3', { id: 'comments-h' }, 'Comments'), this.thread.list, this.thread.form),
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
    this.thread.load();
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

  /** e: edit the open task's text fields (planners). */
  edit(on = true) {
    if (!this.task || !this.session.can('plan')) return;
    this.editing = on ? this.controls.editor(this.task) : null;
    this.show(this.task);
  }

  show(task) {
    this.task = task;
    this.title.textContent = task.title;
    this.showReason(task);
    const row = (name, value) => [h('dt', {}, name), h('dd', {}, value ?? '—')];
    const taskLink = (id) => (id ? this.link(id, `#${id}`) : '—');
    const retriedAs = this.retriedAs(task);
    fill(this.summary,
      this.controls.bar(task),
      h('p', { class: 'chips' },
        h('span', { class: `status status-${task.status}` }, STATUS_LABELS[task.status] || task.status),
        task.attempt > 1 ? h('span', { class: 'badge attempt' }, `attempt ${task.attempt}`) : null,
        task.needsAttention ? h('span', { class: 'badge attention' }, `⚠ ${task.attentionReason || 'attention'}`) : null,
        (task.labels || []).map((l) => h('span', { class: 'label' }, l))),
      this.session.can('plan') && CANCELABLE.has(task.status)
        ? h('p', { class: 'drawer-actions' }, h('button', { type: 'button', class: 'danger cancel-task', onclick: () => this.cancel(task) }, 'Cancel task…'))
        : null,
      h('dl', { class: 'facts' },
        row('Task', `#${task.id} · version ${task.version}`),
        row('Assignee', this.controls.assigneeField(task)),
        row('Priority', this.controls.priorityField(task)),
        row('Created by', task.createdBy),
        row('Created', `${localTime(task.createdAt)} (${age(task.createdAt)} ago)`),
        row('Updated', localTime(task.updatedAt)),
        row('Started', localTime(task.startedAt)),
        row('Completed', localTime(task.completedAt)),
        row('Attempt', `${task.attempt}${task.maxAttempts ? ` of ${task.maxAttempts}` : ''}`),
        task.retryOf ? row('Retry of', taskLink(task.retryOf)) : null,
        retriedAs ? row('Retried as', taskLink(retriedAs)) : null,
        task.usage ? row('Cost of this attempt', `${usd(task.usage.costUsd)} · ${task.usage.inputTokens} in / `
          + `${task.usage.outputTokens} out tokens`) : null,
        task.leaseExpiresAt ? row('Lease until', localTime(task.leaseExpiresAt)) : null),
      this.editing || [
        h('h3', {}, 'Description'),
        h('div', { class: `prose${task.description ? '' : ' muted'}`, dataset: { field: 'description' } }, task.description || 'No description.'),
      ],
      h('h3', {}, 'Result'),
      h('div', { class: `prose${task.result ? '' : ' muted'}`, dataset: { field: 'result' } }, task.result || 'No result yet.'),
      reviewSection(task, { api: this.api, link: this.link.bind(this) }));
    if (task.status === 'failed' && !retriedAs) this.findRetry(task);
    if (!this.editingDeps) this.showDependencies(task);
  }

  /** A failed task's retry, when the page knows it (the store, or a search by its title). */
  retriedAs(task) {
    if (this.retry && this.retry.of === task.id) return this.retry.id;
    for (const t of this.store.tasks.values()) if (t.retryOf === task.id) return t.id;
    return null;
  }

  async findRetry(task) {
    if (this.retrySearched === task.id) return;
    this.retrySearched = task.id;
    const page = await this.api.get('/tasks', { q: task.title, limit: 200 }).catch(() => null);
    const retry = page?.items.find((t) => t.retryOf === task.id);
    if (retry && this.taskId === task.id) {
      this.retry = { of: task.id, id: retry.id };
      this.show(this.task);
    }
  }

  /** A blocked task's reason under the title: the newest comment made when it was blocked. */
  async showReason(task) {
    if (task.status !== 'blocked') {
      this.reason.hidden = true;
      return;
    }
    const text = await blockReason(this.api, task);
    if (this.taskId !== task.id || this.task?.status !== 'blocked') return;
    this.reason.hidden = !text;
    this.reason.textContent = text ? `Blocked: ${text}` : '';
  }

  /** Cancels the task (orchestrators, operators) with a reason, optionally with its not-started dependents. */
  async cancel(task) {
    const answer = await askReason({
      title: `Cancel task #${task.id}?`,
      text: task.status === 'in_progress'
        ? `${task.assignee || 'Its holder'} is working on it: its lease ends now and its next writes are refused.`
        : 'The task moves to canceled; the reason is added as your comment.',
      confirm: 'Cancel task',
      option: 'Also cancel the tasks that depend on it and have not started',
      maxLength: 2000,
    });
    if (!answer) return;
    try {
      const canceled = await this.api.post(`/tasks/${task.id}/cancel`, { reason: answer.reason, cascade: answer.option });
      const { cascaded, ...after } = canceled;
      this.update(after);
      this.reloadComments();
      toast(cascaded.length ? `Task #${task.id} canceled with ${cascaded.length} dependent task(s)` : `Task #${task.id} canceled`);
    } catch (e) {
      toast(`Could not cancel task #${task.id}: ${e.message}`, 'error');
    }
  }

  async showDependencies(task) {
    const ids = task.dependsOn || [];
    const dependents = this.store.dependents(task.id);
    const depList = h('ul', { class: 'dep-list' });
    const edit = this.session.can('plan') ? h('button', { type: 'button', class: 'ghost small-button', id: 'edit-deps', onclick: () => {
      this.editingDeps = true;
      fill(this.deps, this.controls.dependencyEditor(this.task, () => {
        this.editingDeps = false;
        this.showDependencies(this.task);
      }));
    } }, 'Edit dependencies') : null;
    fill(this.deps,
      h('p', { class: 'muted small' }, ids.length ? (task.ready ? `${plural(ids.length, 'dependency', 'dependencies')}, all done.`
        : `Waits for ${plural(ids.length, 'dependency', 'dependencies')}.`) : 'Depends on nothing.', ' ', edit),
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
      h('strong', {}, credit(e.actor, e.data?.system)), ' ', describe(e))));
  }
}
