// The agents panel (state, heartbeat, task counts; kill and revive for operators, pause and resume for
// operators and orchestrators; budgets, set by operators), the freeze switch and banner, and the in-page reason dialog they share.

import { h, fill, relative, localTime, toast, age } from './dom.js';
import { plural } from './words.js';
import { budgetLine, setBudget } from './budget.js';

/**
 * Asks for a reason in the page's own dialog; resolves with the reason (or '' when it is optional and left
 * empty), or null when canceled. With `option` (a checkbox label) it resolves with { reason, option } instead,
 * option being whether the box was ticked.
 */
export function askReason({ title, text, confirm = 'Confirm', danger = true, required = true, option = null, maxLength = 1000 }) {
  const dialog = document.getElementById('reason-dialog');
  const input = document.getElementById('reason-input');
  const button = document.getElementById('reason-confirm');
  const optionLabel = document.getElementById('reason-option');
  const optionInput = document.getElementById('reason-option-input');
  document.getElementById('reason-title').textContent = title;
  document.getElementById('reason-text').textContent = text;
  document.getElementById('reason-option-text').textContent = option || '';
  optionLabel.hidden = !option;
  optionInput.checked = false;
  button.textContent = confirm;
  button.className = danger ? 'danger' : 'primary';
  input.maxLength = maxLength;
  input.value = '';
  input.required = required;
  document.getElementById('reason-label').textContent = required ? 'Reason' : 'Reason (optional)';
  return new Promise((resolve) => {
    const form = document.getElementById('reason-form');
    const cancel = document.getElementById('reason-cancel');
    const done = (value) => {
      form.removeEventListener('submit', onSubmit);
      cancel.removeEventListener('click', onCancel);
      dialog.removeEventListener('cancel', onCancel);
      if (dialog.open) dialog.close();
      resolve(value);
    };
    const onSubmit = (e) => {
      e.preventDefault();
      const reason = input.value.trim();
      if (!reason && required) {
        input.focus();
        return;
      }
      done(option ? { reason, option: optionInput.checked } : reason);
    };
    const onCancel = (e) => {
      e.preventDefault();
      done(null);
    };
    form.addEventListener('submit', onSubmit);
    cancel.addEventListener('click', onCancel);
    dialog.addEventListener('cancel', onCancel);
    dialog.showModal();
    input.focus();
  });
}

/** A yes/no question in the same dialog, without a reason field. */
export async function confirmDialog({ title, text, confirm }) {
  const field = document.getElementById('reason-field');
  field.hidden = true;
  try {
    return (await askReason({ title, text, confirm, danger: false, required: false })) !== null;
  } finally {
    field.hidden = false;
  }
}

const STATE_LABEL = { active: 'active', unresponsive: 'unresponsive', killed: 'killed', paused: 'paused' };

/** "4:05" left, or "expired 2m ago". */
function countdown(iso, now = Date.now()) {
  const left = Math.round((Date.parse(iso) - now) / 1000);
  if (left <= 0) return `lease expired ${age(iso, now)} ago`;
  const m = Math.floor(left / 60);
  return `lease ${m >= 60 ? `${Math.floor(m / 60)}h ${m % 60}m` : `${m}:${String(left % 60).padStart(2, '0')}`} left`;
}

/**
 * The agents: who is doing what now. A card per agent with role, state, capabilities, WIP limit, the tasks
 * it has in progress (time in progress, lease countdown), its last heartbeat and note, a link to its tasks;
 * its spend against its budget; kill, revive and the budget for operators.
 */
export class AgentsPanel {
  constructor(root, api, session, { onChange, onOpen }) {
    this.root = root;
    this.api = api;
    this.session = session;
    this.onChange = onChange;
    this.onOpen = onOpen;
    this.agents = [];
    this.working = new Map(); // agent name -> its in-progress tasks
    this.loading = null;
    setInterval(() => this.tick(), 1000);
  }

  async load() {
    if (this.loading) return this.loading;
    this.loading = (async () => {
      const agents = [];
      const working = new Map();
      await Promise.all([
        this.api.pages('/agents', {}, (items) => agents.push(...items)),
        this.api.pages('/tasks', { status: 'in_progress' }, (items) => {
          for (const t of items) if (t.assignee) working.set(t.assignee, [...(working.get(t.assignee) || []), t]);
        }, { maxItems: 2000 }),
      ]);
      this.agents = agents;
      this.working = working;
      this.render();
      this.onChange(agents);
    })().finally(() => { this.loading = null; });
    return this.loading;
  }

  render() {
    const now = Date.now();
    fill(this.root, this.agents.map((a) => this.card(a, now)));
  }

  card(a, now) {
    const operator = this.session.can('operate');
    const tasks = this.working.get(a.name) || [];
    const wip = a.wipLimit === null || a.wipLimit === undefined ? 'no WIP limit' : `WIP ${a.inProgressTasks ?? 0}/${a.wipLimit}`;
    return h('article', { class: 'agent-card', dataset: { agent: a.name, state: a.state } },
      h('header', { class: 'agent-head' },
        h('span', { class: 'agent-name', title: a.name }, a.name),
        h('span', { class: 'muted small' }, a.role),
        h('span', { class: `state state-${a.state}`, title: a.stateReason || '' }, STATE_LABEL[a.state] || a.state),
        h('span', { class: 'agent-actions' }, this.pauseButton(a), operator && a.name !== this.session.name ? (a.state === 'killed'
          ? h('button', { type: 'button', class: 'ghost revive', onclick: () => this.revive(a.name) }, 'Revive')
          : h('button', { type: 'button', class: 'danger kill', onclick: () => this.kill(a.name) }, 'Kill')) : null)),
      a.description ? h('p', { class: 'muted small' }, a.description) : null,
      a.state !== 'active' && a.stateReason ? h('p', { class: 'small state-reason' }, a.stateReason) : null,
      a.state === 'active' && a.revivedAt ? h('p', { class: 'small muted revived' },
        `Revived ${age(a.revivedAt, now)} ago${a.revivedBy ? ` by ${a.revivedBy}` : ''}${a.reviveReason ? `: ${a.reviveReason}` : ''}`) : null,
      h('p', { class: 'chips small' },
        (a.capabilities || []).length ? a.capabilities.map((c) => h('span', { class: 'label' }, c)) : h('span', { class: 'muted' }, 'any work'),
        h('span', { class: 'wip' }, wip)),
      h('ul', { class: 'agent-tasks', 'aria-label': `${a.name}: tasks in progress` }, tasks.length ? tasks.map((t) => h('li', {},
        h('a', { href: `?task=${t.id}`, class: 'task-link', onclick: (e) => {
          if (e.metaKey || e.ctrlKey || e.shiftKey) return;
          e.preventDefault();
          this.onOpen(t.id);
        } }, `#${t.id} ${t.title}`),
        h('span', { class: 'muted small block' },
          h('span', { dataset: { since: t.startedAt || t.updatedAt } }, `${age(t.startedAt || t.updatedAt, now)} in progress`),
          t.leaseExpiresAt ? [' · ', h('span', { dataset: { until: t.leaseExpiresAt }, class: 'lease' }, countdown(t.leaseExpiresAt, now))] : null)))
        : h('li', { class: 'muted small' }, 'Nothing in progress.')),
      h('p', { class: 'small heartbeat', title: a.lastHeartbeatAt ? localTime(a.lastHeartbeatAt) : '' },
        `Heartbeat ${relative(a.lastHeartbeatAt, now)}`,
        a.nextHeartbeatDueAt ? `, next due ${relative(a.nextHeartbeatDueAt, now)}` : '',
        a.lastHeartbeatNote ? h('span', { class: 'note block' }, `“${a.lastHeartbeatNote}”`) : null),
      budgetLine(a, operator ? () => setBudget(this.api, a).then(() => this.load().catch(() => {})) : null),
      h('p', { class: 'small' }, h('a', { href: `?assignee=${encodeURIComponent(a.name)}` }, `${plural(a.openTasks ?? 0, 'open task', 'open tasks')} on the board`)));
  }

  /** Ticks the times in progress and the lease countdowns while the view is on screen. */
  tick() {
    if (this.root.offsetParent === null) return;
    const now = Date.now();
    for (const el of this.root.querySelectorAll('[data-until]')) el.textContent = countdown(el.dataset.until, now);
    for (const el of this.root.querySelectorAll('[data-since]')) el.textContent = `${age(el.dataset.since, now)} in progress`;
  }

  /** Pause or Resume, for operators and orchestrators; a killed agent has neither (the kill overrides). */
  pauseButton(a) {
    if (!this.session.can('plan') || a.state === 'killed') return null;
    return a.state === 'paused'
      ? h('button', { type: 'button', class: 'ghost resume', onclick: () => this.act(a.name, 'resume', null, `${a.name} resumed`) }, 'Resume')
      : h('button', { type: 'button', class: 'ghost pause', onclick: () => this.pause(a.name) }, 'Pause');
  }

  async pause(name) {
    const reason = await askReason({
      title: `Pause ${name}?`,
      text: 'It finishes what it holds, but gets no new work (claims answer nothing) until it is resumed.',
      confirm: 'Pause agent',
      danger: false,
      maxLength: 4096,
    });
    if (!reason) return;
    await this.act(name, 'pause', reason, `${name} paused`);
  }

  async kill(name) {
    const reason = await askReason({
      title: `Kill ${name}?`,
      text: 'Its keys and tokens stop working at once, its sessions close and its tasks in progress go back to the queue.',
      confirm: 'Kill agent',
    });
    if (!reason) return;
    await this.act(name, 'kill', reason, `${name} killed`);
  }

  async revive(name) {
    const reason = await askReason({ title: `Revive ${name}?`, text: 'Its API keys work again; old tokens stay invalid. The reason is kept with the agent.', confirm: 'Revive', danger: false });
    if (!reason) return;
    await this.act(name, 'revive', reason, `${name} revived`);
  }

  async act(name, action, reason, message) {
    try {
      const agent = await this.api.post(`/agents/${encodeURIComponent(name)}/${action}`, reason === null ? {} : { reason });
      const i = this.agents.findIndex((a) => a.name === name);
      if (agent && agent.name && i >= 0) this.agents[i] = agent;
      this.render();
      this.onChange(this.agents);
      toast(message);
    } catch (e) {
      toast(`Could not ${action} ${name}: ${e.message}`, 'error');
    }
    this.load().catch(() => {});
  }
}

/** The freeze banner for everyone; the switch for operators. */
export class Freeze {
  constructor(api, session, banner, toggle) {
    this.api = api;
    this.session = session;
    this.banner = banner;
    this.toggle = toggle;
    this.system = { frozen: false };
    toggle.addEventListener('click', () => this.flip());
  }

  async load() {
    try {
      this.show(await this.api.get('/system'));
    } catch (e) {
      if (e.status !== 404) throw e;
      this.toggle.hidden = true; // no freeze on this server (yet)
    }
  }

  show(system) {
    this.system = system || { frozen: false };
    const frozen = Boolean(this.system.frozen);
    document.body.dataset.frozen = String(frozen);
    this.banner.hidden = !frozen;
    if (frozen) {
      const by = this.system.frozenBy ? ` by ${this.system.frozenBy}` : '';
      const at = this.system.frozenAt ? ` at ${localTime(this.system.frozenAt)}` : '';
      fill(this.banner, h('strong', {}, 'System frozen'), `${by}${at}: `, this.system.reason || 'no reason given',
        ' — writes by agents are refused until an operator unfreezes.');
    }
    this.toggle.hidden = !this.session.can('operate');
    this.toggle.textContent = frozen ? 'Unfreeze' : 'Freeze';
    this.toggle.setAttribute('aria-pressed', String(frozen));
    this.toggle.classList.toggle('danger', !frozen);
    this.onChange?.(frozen);
  }

  async flip() {
    try {
      if (this.system.frozen) {
        const ok = await confirmDialog({
          title: 'Unfreeze the system?',
          text: `Agents can write again at once. Frozen${this.system.frozenBy ? ` by ${this.system.frozenBy}` : ''}: ${this.system.reason || 'no reason given'}.`,
          confirm: 'Unfreeze',
        });
        if (!ok) return;
        this.show(await this.api.post('/system/unfreeze', {}));
        toast('System unfrozen');
      } else {
        const reason = await askReason({
          title: 'Freeze the system?',
          text: 'Every write by a non-operator is refused (423) until you unfreeze. Reads and heartbeats go on.',
          confirm: 'Freeze',
        });
        if (!reason) return;
        this.show(await this.api.post('/system/freeze', { reason }));
        toast('System frozen');
      }
    } catch (e) {
      toast(`Could not change the freeze: ${e.message}`, 'error');
    }
  }
}
