// What a person can do to the task in the drawer: the action bar (edit, status moves with their reasons,
// retry, requeue), the inline editor, instant assignee/priority changes and the dependency editor. Every
// write carries If-Match; a 412 shows what changed meanwhile and offers the same change on the new version.

import { h, fill, toast } from './dom.js';
import { askReason } from './agents.js';
import { movesFor, moveLabel, reasonFor, canRequeue, canRetry, requeuePatch, guardedWrite, VersionConflict } from './actions.js';
import { LabelInput, TaskPicker, assigneeSelect, prioritySelect } from './forms.js';

/**
 * More buttons for the action bar from other features (cancel, pause...): fn(task, controls) returns a
 * Node or null. Register with addTaskAction.
 */
const extraActions = [];
export function addTaskAction(fn) { extraActions.push(fn); }

export class TaskControls {
  /**
   * @param notice   the element where conflicts and refusals are shown
   * @param onSaved  called with the task after a successful write
   */
  constructor(api, session, { store, agents, notice, onSaved, onNavigate, onEdit }) {
    this.api = api;
    this.session = session;
    this.store = store;
    this.agents = agents;
    this.notice = notice;
    this.onSaved = onSaved;
    this.onNavigate = onNavigate;
    this.onEdit = onEdit;
  }

  /** The action bar; empty for a role that can take none of these actions. */
  bar(task) {
    const buttons = [];
    if (this.session.can('plan')) {
      buttons.push(h('button', { type: 'button', class: 'ghost', id: 'edit-task', title: 'Edit (e)', onclick: () => this.onEdit() }, 'Edit'));
    }
    for (const to of movesFor(task, this.session)) {
      buttons.push(h('button', { type: 'button', class: 'ghost move', dataset: { move: to }, onclick: () => this.move(task, to) },
        moveLabel(task.status, to)));
    }
    if (canRetry(task, this.session)) {
      buttons.push(h('button', { type: 'button', class: 'ghost', id: 'retry-task', onclick: () => this.retry(task) }, 'Retry'));
    }
    if (canRequeue(task, this.session)) {
      buttons.push(h('button', { type: 'button', class: task.attentionReason === 'lease-expired' ? 'primary' : 'ghost', id: 'requeue-task',
        title: 'Back to To do, unassigned: any capable worker can claim it', onclick: () => this.requeue(task) }, 'Requeue'));
    }
    for (const extra of extraActions) buttons.push(extra(task, this));
    return h('div', { class: 'task-actions', role: 'toolbar', 'aria-label': 'Task actions' }, buttons);
  }

  async move(task, to) {
    const ask = reasonFor(task.status, to);
    const patch = { status: to };
    if (ask) {
      const reason = await askReason({ ...ask, confirm: moveLabel(task.status, to).replace('…', ''), danger: false });
      if (reason === null) return;
      if (reason) patch.comment = reason;
    }
    await this.patch(task, patch);
  }

  async requeue(task) {
    const reason = await askReason({
      title: `Requeue #${task.id}?`,
      text: `It goes back to To do, unassigned${task.assignee ? ` (${task.assignee} loses it: its later writes with the old lease fail)` : ''}.`,
      confirm: 'Requeue', danger: false, required: false,
    });
    if (reason === null) return;
    const patch = reason ? { ...requeuePatch, comment: reason } : requeuePatch;
    const done = await this.patch(task, patch);
    if (done) toast(`#${task.id} requeued`);
  }

  async retry(task) {
    try {
      const retry = await this.api.post(`/tasks/${task.id}/retry`, {});
      toast(`Retried as #${retry.id} (attempt ${retry.attempt})`);
      this.onNavigate(retry.id);
    } catch (e) {
      this.refused(e);
    }
  }

  /** The editor for the text fields and labels (assignee and priority change on their own, see facts()). */
  editor(task) {
    const title = h('input', { id: 'edit-title', value: task.title, maxlength: 200, required: true });
    const description = h('textarea', { id: 'edit-description', rows: 6, maxlength: 65536 });
    description.value = task.description || '';
    const labels = new LabelInput(task.labels || [], { id: 'edit-labels' });
    const base = task;
    const form = h('form', { class: 'task-editor', id: 'task-editor', onsubmit: async (e) => {
      e.preventDefault();
      const patch = {};
      if (title.value.trim() !== base.title) patch.title = title.value.trim();
      if ((description.value.trim() || null) !== (base.description || null)) patch.description = description.value.trim() || null;
      const newLabels = labels.value;
      if (JSON.stringify(newLabels) !== JSON.stringify(base.labels || [])) patch.labels = newLabels;
      if (!Object.keys(patch).length) {
        this.onEdit(false);
        return;
      }
      // The base version is the one the editor opened on: a change made meanwhile is a 412, shown as a diff.
      const saved = await this.patch(base, patch);
      if (saved) this.onEdit(false);
    } },
    h('label', { for: 'edit-title' }, 'Title'), title,
    h('label', { for: 'edit-description' }, 'Description'), description,
    h('label', { for: 'edit-labels' }, 'Labels'), labels.el,
    h('div', { class: 'dialog-actions' },
      h('button', { type: 'button', class: 'ghost', onclick: () => this.onEdit(false) }, 'Cancel'),
      h('button', { type: 'submit', class: 'primary', id: 'edit-save' }, 'Save')));
    setTimeout(() => title.focus());
    return form;
  }

  /** Assignee and priority: selects that write at once for planners, text for everyone else. */
  assigneeField(task) {
    if (!this.session.can('plan')) return task.assignee || 'unassigned';
    const select = assigneeSelect(this.agents(), task.assignee, { id: 'drawer-assignee', 'aria-label': 'Assignee' });
    select.addEventListener('change', () => this.patch(task, { assignee: select.value || null }));
    return select;
  }

  priorityField(task) {
    if (!this.session.can('plan')) return h('span', { class: `prio prio-${task.priority}` }, task.priority);
    const select = prioritySelect(task.priority, { id: 'drawer-priority', 'aria-label': 'Priority' });
    select.addEventListener('change', () => this.patch(task, { priority: select.value }));
    return select;
  }

  /** The dependency editor: a task picker and Save (PUT /tasks/{id}/dependencies with If-Match). */
  dependencyEditor(task, onDone) {
    const picker = new TaskPicker(this.api, this.store, { ids: task.dependsOn || [], exclude: task.id, id: 'deps-input' });
    return h('form', { class: 'deps-editor', onsubmit: async (e) => {
      e.preventDefault();
      const dependsOn = picker.value;
      const saved = await this.write(task, { dependsOn }, (v) => this.api.put(`/tasks/${task.id}/dependencies`, { dependsOn }, v));
      if (saved) onDone();
    } }, picker.el, h('div', { class: 'dialog-actions' },
      h('button', { type: 'button', class: 'ghost', onclick: onDone }, 'Cancel'),
      h('button', { type: 'submit', class: 'primary', id: 'deps-save' }, 'Save dependencies')));
  }

  patch(task, patch) {
    return this.write(task, patch, (v) => this.api.patch(`/tasks/${task.id}`, patch, v));
  }

  /**
   * A guarded write of `change` (shown to the person on a conflict) made by send(version); on success the
   * notice clears, on 412 it shows what changed meanwhile, on a refusal the server's detail.
   */
  async write(task, change, send) {
    fill(this.notice);
    try {
      const saved = await guardedWrite(this.api, task, send);
      if (saved) this.onSaved(saved);
      return saved;
    } catch (e) {
      if (e instanceof VersionConflict) {
        this.conflict(e, change, send);
      } else {
        this.refused(e);
        this.onSaved(task); // back to what the server has (a select shows the refused choice otherwise)
      }
      return null;
    }
  }

  conflict(conflict, change, send) {
    const { current, changes, before } = conflict;
    fill(this.notice, h('div', { class: 'conflict', role: 'alert', id: 'conflict' },
      h('strong', {}, `Changed meanwhile: version ${before.version} → ${current.version}`),
      changes.length ? h('ul', { class: 'diff' }, changes.map((c) => h('li', { dataset: { field: c.field } },
        h('span', { class: 'diff-field' }, c.field), ' ', h('del', {}, c.from), ' → ', h('ins', {}, c.to))))
        : h('p', { class: 'small' }, 'No field you see changed (a comment or a dependency finished).'),
      h('p', { class: 'small yours' }, 'Your change: ', Object.entries(change).map(([field, value]) => `${field} → ${
        value === null ? '—' : Array.isArray(value) ? value.join(', ') || '—' : String(value).slice(0, 80)}`).join('; ')),
      h('div', { class: 'dialog-actions' },
        h('button', { type: 'button', class: 'ghost', onclick: () => { fill(this.notice); this.onSaved(current); this.onEdit(false); } },
          'Discard my change'),
        h('button', { type: 'button', class: 'primary', id: 'conflict-retry', onclick: async () => {
          const saved = await this.write(current, change, send);
          if (saved) this.onEdit(false);
        } }, `Apply my change to version ${current.version}`))));
    this.onSaved(current);
    this.notice.scrollIntoView({ block: 'nearest' });
  }

  refused(e) {
    fill(this.notice, h('p', { class: 'error refusal', role: 'alert' }, e.message));
    this.notice.scrollIntoView({ block: 'nearest' });
  }
}
