// The attention queue: tasks the scheduler flagged (needsAttention) and unresponsive agents, oldest
// problem first, each with its obvious next step. A task's problem starts at attentionSince when the
// server sends it, else when its lease expired (lease-expired) or when it was flagged (updatedAt); an
// agent's when its heartbeat was due.

import { h, fill, age, localTime, toast } from './dom.js';
import { STATUS_LABELS } from './store.js';
import { canRequeue, canRetry, requeuePatch, guardedWrite, VersionConflict } from './actions.js';
import { assigneeSelect } from './forms.js';

/** More actions for an item from other features (cancel, pause...): fn(item, queue) returns a Node or null. */
const extraActions = [];
export function addAttentionAction(fn) { extraActions.push(fn); }

const OPEN = 'todo,in_progress,in_review,blocked';

export class AttentionQueue {
  constructor(list, counter, api, { onOpen, session, agentsPanel, onChange }) {
    this.list = list;
    this.counter = counter;
    this.api = api;
    this.session = session;
    this.agentsPanel = agentsPanel;
    this.onOpen = onOpen;
    this.onChange = onChange || (() => {});
    this.tasks = new Map();
    this.versions = new Map();
    this.agents = [];
    this.agentTasks = new Map(); // agent name -> { key, tasks } (its open tasks, read when it shows up here)
  }

  async load() {
    const tasks = new Map();
    await this.api.pages('/tasks', { needsAttention: 'true' }, (items) => items.forEach((t) => tasks.set(t.id, t)));
    this.tasks = tasks;
    for (const t of tasks.values()) this.versions.set(t.id, t.version);
    this.render();
  }

  /** Task snapshots from events. */
  apply(tasks) {
    let changed = false;
    for (const task of tasks) {
      const known = this.versions.get(task.id);
      if (known !== undefined && known > task.version) continue;
      this.versions.set(task.id, task.version);
      if (task.needsAttention) {
        this.tasks.set(task.id, task);
        changed = true;
      } else if (this.tasks.delete(task.id)) {
        changed = true;
      }
    }
    if (changed) this.render();
  }

  setAgents(agents) {
    this.allAgents = agents;
    this.agents = agents.filter((a) => a.state === 'unresponsive');
    for (const agent of this.agents) this.loadAgentTasks(agent);
    this.render();
  }

  /** The open tasks of an unresponsive agent (again when its count changed). */
  async loadAgentTasks(agent) {
    const key = `${agent.openTasks}/${agent.inProgressTasks}`;
    if (this.agentTasks.get(agent.name)?.key === key) return;
    this.agentTasks.set(agent.name, { key, tasks: null });
    try {
      const page = await this.api.get('/tasks', { assignee: agent.name, status: OPEN, limit: 20 });
      this.agentTasks.set(agent.name, { key, tasks: page.items, more: Boolean(page.nextCursor) });
      this.render();
    } catch {
      this.agentTasks.delete(agent.name);
    }
  }

  items() {
    const items = [];
    for (const t of this.tasks.values()) {
      const since = t.attentionSince
        || (t.attentionReason === 'lease-expired' && t.leaseExpiresAt ? t.leaseExpiresAt : t.updatedAt);
      items.push({ kind: 'task', since, task: t });
    }
    for (const a of this.agents) {
      items.push({ kind: 'agent', since: a.nextHeartbeatDueAt || a.lastHeartbeatAt || a.createdAt, agent: a });
    }
    return items.sort((x, y) => Date.parse(x.since) - Date.parse(y.since));
  }

  render() {
    const items = this.items();
    this.counter.textContent = String(items.length);
    this.counter.dataset.count = String(items.length);
    this.onChange(items);
    if (!items.length) {
      fill(this.list, h('li', { class: 'muted empty' }, 'Nothing needs attention.'));
      return;
    }
    // Keep an open reassign menu: redraw only when nothing in the list has focus.
    if (this.list.contains(document.activeElement) && document.activeElement.tagName === 'SELECT') {
      this.pending = true;
      return;
    }
    fill(this.list, items.map((item) => (item.kind === 'task' ? this.taskItem(item) : this.agentItem(item))));
  }

  link(task) {
    return h('a', {
      href: `?task=${task.id}`,
      class: 'task-link',
      onclick: (e) => {
        if (e.metaKey || e.ctrlKey || e.shiftKey) return;
        e.preventDefault();
        this.onOpen(task.id);
      },
    }, `#${task.id} ${task.title}`);
  }

  taskItem({ task, since }) {
    return h('li', { class: 'attention-item', dataset: { taskId: String(task.id) } },
      h('span', { class: 'badge attention' }, task.attentionReason || 'attention'),
      this.link(task),
      h('span', { class: 'muted small' }, `${STATUS_LABELS[task.status] || task.status} · ${task.assignee || 'unassigned'}`),
      h('time', { datetime: since, title: localTime(since), class: 'since' }, `for ${age(since)}`),
      h('div', { class: 'item-actions' }, this.taskActions(task)));
  }

  taskActions(task) {
    const actions = [];
    if (canRequeue(task, this.session)) {
      actions.push(h('button', { type: 'button', class: 'primary requeue', onclick: () => this.write(task, requeuePatch, `#${task.id} requeued`) },
        'Requeue'));
    }
    if (task.status === 'blocked' && this.session.can('plan')) {
      actions.push(h('button', { type: 'button', class: 'ghost unblock', onclick: () => this.write(task, { status: 'todo' }, `#${task.id} unblocked`) },
        'Unblock'));
    }
    if (canRetry(task, this.session)) {
      actions.push(h('button', { type: 'button', class: 'ghost retry', onclick: async () => {
        try {
          const retry = await this.api.post(`/tasks/${task.id}/retry`, {});
          toast(`Retried as #${retry.id}`);
        } catch (e) {
          toast(e.message, 'error');
        }
      } }, 'Retry'));
    }
    if (this.session.can('plan') && task.status !== 'done' && task.status !== 'canceled') {
      const select = assigneeSelect(this.allAgents || [], task.assignee, { class: 'reassign', 'aria-label': `Reassign #${task.id}` });
      select.addEventListener('change', () => this.write(task, { assignee: select.value || null },
        `#${task.id} ${select.value ? `assigned to ${select.value}` : 'unassigned'}`));
      select.addEventListener('blur', () => { if (this.pending) { this.pending = false; this.render(); } });
      actions.push(h('label', { class: 'small reassign-label' }, 'Assignee ', select));
    }
    for (const extra of extraActions) actions.push(extra({ kind: 'task', task }, this));
    return actions;
  }

  /** A version-guarded write; a 412 says what changed (the item then shows the new version: act again). */
  async write(task, patch, message) {
    try {
      const saved = await guardedWrite(this.api, task, (v) => this.api.patch(`/tasks/${task.id}`, patch, v));
      this.apply([saved]);
      toast(message);
    } catch (e) {
      if (e instanceof VersionConflict) {
        this.apply([e.current]);
        toast(`#${task.id} changed meanwhile (${e.changes.map((c) => `${c.field}: ${c.from} → ${c.to}`).join('; ') || 'no visible field'}); look again and retry.`, 'error');
      } else {
        toast(`#${task.id}: ${e.message}`, 'error');
      }
    }
  }

  agentItem({ agent, since }) {
    const open = this.agentTasks.get(agent.name);
    return h('li', { class: 'attention-item', dataset: { agent: agent.name } },
      h('span', { class: 'badge unresponsive' }, 'unresponsive'),
      h('a', { class: 'agent-name', href: `?assignee=${encodeURIComponent(agent.name)}` }, agent.name),
      h('span', { class: 'muted small' }, `${agent.role} · last heartbeat ${agent.lastHeartbeatAt ? `${age(agent.lastHeartbeatAt)} ago` : 'never'}`
        + ` · ${agent.inProgressTasks ?? 0} in progress · ${agent.openTasks ?? 0} open`),
      h('time', { datetime: since, title: localTime(since), class: 'since' }, `for ${age(since)}`),
      open?.tasks?.length ? h('ul', { class: 'agent-open-tasks' }, open.tasks.map((t) => h('li', { dataset: { taskId: String(t.id) } },
        this.link(t), ' ', h('span', { class: `status status-${t.status}` }, STATUS_LABELS[t.status] || t.status), ' ',
        this.session.can('operate') && t.status === 'in_progress' ? h('button', { type: 'button', class: 'ghost requeue small-button',
          onclick: () => this.write(t, requeuePatch, `#${t.id} requeued`).then(() => this.refreshAgent(agent)) }, 'Requeue') : null)),
      open.more ? h('li', { class: 'muted small' }, 'and more…') : null) : null,
      h('div', { class: 'item-actions' },
        this.session.can('operate') && this.agentsPanel ? h('button', { type: 'button', class: 'danger kill',
          onclick: () => this.agentsPanel.kill(agent.name) }, 'Kill') : null,
        extraActions.map((extra) => extra({ kind: 'agent', agent }, this))));
  }

  refreshAgent(agent) {
    this.agentTasks.delete(agent.name);
    this.loadAgentTasks(agent);
  }
}
