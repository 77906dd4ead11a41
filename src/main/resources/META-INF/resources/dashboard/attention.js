// The attention queue: tasks the scheduler flagged (needsAttention) and unresponsive agents, oldest
// problem first. A task's problem starts at attentionSince when the server sends it, else when its lease
// expired (lease-expired) or when it was flagged (updatedAt); an agent's when its heartbeat was due.

import { h, fill, age, localTime } from './dom.js';

export class AttentionQueue {
  constructor(list, counter, api, { onOpen }) {
    this.list = list;
    this.counter = counter;
    this.api = api;
    this.onOpen = onOpen;
    this.tasks = new Map();
    this.versions = new Map();
    this.agents = [];
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
    this.agents = agents.filter((a) => a.state === 'unresponsive');
    this.render();
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
    if (!items.length) {
      fill(this.list, h('li', { class: 'muted empty' }, 'Nothing needs attention.'));
      return;
    }
    fill(this.list, items.map((item) => (item.kind === 'task' ? this.taskItem(item) : this.agentItem(item))));
  }

  taskItem({ task, since }) {
    return h('li', { class: 'attention-item', dataset: { taskId: String(task.id) } },
      h('span', { class: 'badge attention' }, task.attentionReason || 'attention'),
      h('a', {
        href: `?task=${task.id}`,
        class: 'task-link',
        onclick: (e) => {
          if (e.metaKey || e.ctrlKey || e.shiftKey) return;
          e.preventDefault();
          this.onOpen(task.id);
        },
      }, `#${task.id} ${task.title}`),
      h('span', { class: 'muted small' }, `${task.status.replace('_', ' ')} · ${task.assignee || 'unassigned'}`),
      h('time', { datetime: since, title: localTime(since), class: 'since' }, `for ${age(since)}`));
  }

  agentItem({ agent, since }) {
    return h('li', { class: 'attention-item', dataset: { agent: agent.name } },
      h('span', { class: 'badge unresponsive' }, 'unresponsive'),
      h('span', { class: 'agent-name' }, agent.name),
      h('span', { class: 'muted small' }, `${agent.role} · last heartbeat ${agent.lastHeartbeatAt ? `${age(agent.lastHeartbeatAt)} ago` : 'never'}`
        + ` · ${agent.inProgressTasks ?? 0} in progress`),
      h('time', { datetime: since, title: localTime(since), class: 'since' }, `for ${age(since)}`));
  }
}
