// Forms for task writes: the "New task" dialog, and the inputs it shares with the drawer (labels with
// suggestions from every label in use, a task picker for dependencies, the assignee choice).

import { h, fill, debounce, toast } from './dom.js';
import { PRIORITIES, STATUS_LABELS } from './store.js';

/**
 * Fields that other features add to the "New task" form (review, acceptance criteria, parent...): each is
 * { render(): Node, apply(body): void, reset?(): void }. Register with addTaskFormField; they appear in the
 * marked spot below the dependencies, in registration order.
 */
const extraFields = [];
export function addTaskFormField(field) { extraFields.push(field); }

/** Agents a task can be given to: not observers, not killed. */
export function assignable(agents) {
  return agents.filter((a) => a.role !== 'observer' && a.state !== 'killed').map((a) => a.name);
}

/** A <select> of agents with "Unassigned" ('' means null). */
export function assigneeSelect(agents, current, attrs = {}) {
  const names = assignable(agents);
  if (current && !names.includes(current)) names.unshift(current);
  const select = h('select', attrs, h('option', { value: '' }, 'Unassigned'), names.map((n) => h('option', { value: n }, n)));
  select.value = current || '';
  return select;
}

export function prioritySelect(current = 'medium', attrs = {}) {
  const select = h('select', attrs, PRIORITIES.map((p) => h('option', { value: p }, p)));
  select.value = current;
  return select;
}

/** Labels as removable chips; typing suggests from every label in use (datalist #all-labels). */
export class LabelInput {
  constructor(labels = [], { id } = {}) {
    this.labels = [...labels];
    this.chips = h('span', { class: 'chips-inline' });
    this.input = h('input', {
      id, type: 'text', list: 'all-labels', spellcheck: 'false', autocapitalize: 'off', placeholder: 'add a label, Enter',
      'aria-label': 'Add a label',
      onkeydown: (e) => {
        if ((e.key === 'Enter' || e.key === ',') && this.input.value.trim()) {
          e.preventDefault();
          this.add(this.input.value);
        } else if (e.key === 'Backspace' && !this.input.value && this.labels.length) {
          this.remove(this.labels[this.labels.length - 1]);
        }
      },
      onchange: () => { if (this.input.value.trim()) this.add(this.input.value); },
    });
    this.el = h('div', { class: 'label-input' }, this.chips, this.input);
    this.render();
  }

  add(text) {
    for (const label of text.split(',').map((l) => l.trim()).filter(Boolean)) {
      if (!this.labels.includes(label)) this.labels.push(label);
    }
    this.input.value = '';
    this.render();
  }

  remove(label) {
    this.labels = this.labels.filter((l) => l !== label);
    this.render();
  }

  /** The labels, including what is typed but not yet added. */
  get value() {
    if (this.input.value.trim()) this.add(this.input.value);
    return [...this.labels];
  }

  render() {
    fill(this.chips, this.labels.map((l) => h('span', { class: 'label chip' }, l,
      h('button', { type: 'button', class: 'chip-x', 'aria-label': `Remove label ${l}`, onclick: () => this.remove(l) }, '×'))));
  }
}

/**
 * Picks tasks (for dependencies): "#12" or words from the title; results come from GET /tasks?q= and the
 * tasks the page already has. The chosen ones show as removable chips.
 */
export class TaskPicker {
  constructor(api, store, { ids = [], exclude = null, id } = {}) {
    this.api = api;
    this.store = store;
    this.exclude = exclude;
    this.ids = [...ids];
    this.titles = new Map();
    this.chips = h('span', { class: 'chips-inline' });
    this.results = h('ul', { class: 'picker-results', role: 'listbox', 'aria-label': 'Matching tasks' });
    this.input = h('input', {
      id, type: 'search', placeholder: '#id or words from the title', autocomplete: 'off', 'aria-label': 'Find a task',
      oninput: () => this.search(),
      onkeydown: (e) => {
        if (e.key === 'Enter') {
          e.preventDefault();
          this.results.querySelector('button')?.click();
        }
      },
    });
    this.search = debounce(() => this.find(this.input.value.trim()), 200);
    this.el = h('div', { class: 'task-picker' }, this.chips, this.input, this.results);
    for (const dep of ids) this.titles.set(dep, store.get(dep)?.title);
    this.render();
  }

  get value() { return [...this.ids]; }

  async find(text) {
    if (!text) {
      fill(this.results);
      return;
    }
    const found = new Map();
    const number = Number(text.replace(/^#/, ''));
    try {
      if (Number.isInteger(number) && number > 0) {
        const task = this.store.get(number) || await this.api.get(`/tasks/${number}`).catch(() => null);
        if (task) found.set(task.id, task);
      } else {
        const page = await this.api.get('/tasks', { q: text, limit: 10 });
        for (const task of page.items) found.set(task.id, task);
      }
    } catch (e) {
      fill(this.results, h('li', { class: 'error' }, e.message));
      return;
    }
    if (this.input.value.trim() !== text) return;
    const items = [...found.values()].filter((t) => t.id !== this.exclude && !this.ids.includes(t.id));
    fill(this.results, items.length ? items.map((t) => h('li', {}, h('button', {
      type: 'button', class: 'ghost pick', dataset: { taskId: String(t.id) },
      onclick: () => this.pick(t),
    }, `#${t.id} ${t.title}`, h('span', { class: `status status-${t.status}` }, STATUS_LABELS[t.status] || t.status))))
      : h('li', { class: 'muted small' }, 'No matching task.'));
  }

  pick(task) {
    this.ids.push(task.id);
    this.titles.set(task.id, task.title);
    this.input.value = '';
    fill(this.results);
    this.render();
    this.input.focus();
  }

  render() {
    fill(this.chips, this.ids.map((id) => h('span', { class: 'chip dep-chip', dataset: { taskId: String(id) } },
      `#${id}${this.titles.get(id) ? ` ${this.titles.get(id)}` : ''}`,
      h('button', { type: 'button', class: 'chip-x', 'aria-label': `Remove dependency #${id}`, onclick: () => {
        this.ids = this.ids.filter((d) => d !== id);
        this.render();
      } }, '×'))));
  }
}

/** The "New task" dialog (orchestrators and operators). */
export class TaskForm {
  constructor(api, { store, agents, onCreated }) {
    this.api = api;
    this.store = store;
    this.agents = agents;
    this.onCreated = onCreated;
    this.dialog = null;
  }

  open() {
    this.build();
    this.dialog.showModal();
    this.title.focus();
  }

  build() {
    this.dialog?.remove();
    this.title = h('input', { id: 'tf-title', name: 'title', required: true, maxlength: 200, autocomplete: 'off' });
    this.description = h('textarea', { id: 'tf-description', name: 'description', rows: 4, maxlength: 65536 });
    this.assignee = assigneeSelect(this.agents(), null, { id: 'tf-assignee', name: 'assignee' });
    this.priority = prioritySelect('medium', { id: 'tf-priority', name: 'priority' });
    this.labels = new LabelInput([], { id: 'tf-labels' });
    this.deps = new TaskPicker(this.api, this.store, { id: 'tf-deps' });
    this.error = h('p', { class: 'error', role: 'alert', id: 'tf-error' });
    this.submit = h('button', { type: 'submit', class: 'primary', id: 'tf-submit' }, 'Create task');
    const field = (label, input, forId) => h('div', { class: 'field' }, h('label', { for: forId }, label), input);
    const form = h('form', { class: 'task-form', onsubmit: (e) => this.create(e) },
      h('h2', {}, 'New task'),
      field('Title', this.title, 'tf-title'),
      field('Description', this.description, 'tf-description'),
      h('div', { class: 'field-row' },
        field('Assignee', this.assignee, 'tf-assignee'),
        field('Priority', this.priority, 'tf-priority')),
      field('Labels', this.labels.el, 'tf-labels'),
      field('Depends on', this.deps.el, 'tf-deps'),
      // ---- Extension spot: review, acceptance criteria and parent fields are added here (addTaskFormField). ----
      h('div', { class: 'task-form-extra', dataset: { extension: 'task-form' } }, extraFields.map((f) => f.render())),
      this.error,
      h('div', { class: 'dialog-actions' },
        h('button', { type: 'button', class: 'ghost', onclick: () => this.dialog.close() }, 'Cancel'), this.submit));
    this.dialog = h('dialog', { id: 'task-dialog', class: 'form-dialog', 'aria-label': 'New task' }, form);
    this.dialog.addEventListener('close', () => this.dialog.remove());
    document.body.append(this.dialog);
  }

  async create(e) {
    e.preventDefault();
    const body = { title: this.title.value.trim(), priority: this.priority.value };
    if (!body.title) {
      this.error.textContent = 'A task needs a title.';
      this.title.focus();
      return;
    }
    const description = this.description.value.trim();
    if (description) body.description = description;
    if (this.assignee.value) body.assignee = this.assignee.value;
    const labels = this.labels.value;
    if (labels.length) body.labels = labels;
    const deps = this.deps.value;
    if (deps.length) body.dependsOn = deps;
    for (const f of extraFields) f.apply(body);
    this.submit.disabled = true;
    this.error.textContent = '';
    try {
      const task = await this.api.post('/tasks', body);
      this.dialog.close();
      toast(`Created #${task.id}`);
      this.onCreated(task);
    } catch (err) {
      this.error.textContent = err.code === 'duplicate-task' && err.problem.existingTaskId
        ? `${err.message} (task #${err.problem.existingTaskId})` : err.message;
    } finally {
      this.submit.disabled = false;
    }
  }
}
